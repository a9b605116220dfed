package serverless

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/plugin/kotel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/bluestream/bluestream/platform/eventbus"
)

// Failure is an input record that can never be transformed (a poison record)
// and why. Retrying it gives the same error, so the platform must park it.
type Failure struct {
	Record *kgo.Record
	Err    error
}

// Result is what one batch became.
type Result struct {
	// Outputs are the records to publish, in input order.
	Outputs []*kgo.Record
	// Poison are the inputs that failed for good, in input order.
	Poison []Failure
}

// Handler transforms batches of records. It holds no state between batches,
// which is what a serverless instance can promise.
type Handler struct {
	// Transform is the same step the Kubernetes service runs
	// (pipeline.Stage.Transform).
	Transform eventbus.Transform
	// Propagator extracts the producer's trace context from record headers.
	Propagator propagation.TextMapPropagator
	// Tracer starts one process span per record, a child of the producer's.
	Tracer trace.Tracer
}

// Process transforms batch. A record whose transform fails for good is
// returned in Result.Poison; an error means the whole batch must be retried
// (the decoder is shutting down or ctx ended), and nothing may be published.
func (h *Handler) Process(ctx context.Context, batch []*kgo.Record) (Result, error) {
	var res Result
	for _, in := range batch {
		outs, err := h.one(ctx, in)
		switch {
		case transient(ctx, err):
			return Result{}, fmt.Errorf("transforming %s[%d]@%d: %w", in.Topic, in.Partition, in.Offset, err)
		case err != nil:
			res.Poison = append(res.Poison, Failure{Record: in, Err: err})
		default:
			res.Outputs = append(res.Outputs, outs...)
		}
	}
	return res, nil
}

func (h *Handler) one(ctx context.Context, in *kgo.Record) ([]*kgo.Record, error) {
	// Continue the trace of whoever produced the record: its traceparent
	// header, not whatever the platform's invocation context carries.
	pctx := h.Propagator.Extract(ctx, kotel.NewRecordCarrier(in))
	pctx, span := h.Tracer.Start(pctx, in.Topic+" process",
		trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(
			attribute.String("messaging.system", "kafka"),
			attribute.String("messaging.operation.type", "process"),
			attribute.String("messaging.destination.name", in.Topic),
			attribute.String("messaging.destination.partition.id", strconv.Itoa(int(in.Partition))),
			attribute.Int64("messaging.kafka.offset", in.Offset),
		))
	defer span.End()
	outs, err := h.Transform(pctx, in)
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
		return nil, err
	}
	for _, out := range outs {
		// The producer's hook injects the trace of the context the record
		// carries, so the reading's traceparent points at this span.
		out.Context = pctx
	}
	return outs, nil
}

// transient reports whether err would go away on a retry of the same input:
// those fail the invocation instead of parking the record. The stage marks
// such errors with eventbus.Retry (a closing plugin registry among them).
func transient(ctx context.Context, err error) bool {
	if err == nil {
		return false
	}
	return eventbus.IsRetry(err) || ctx.Err() != nil ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
