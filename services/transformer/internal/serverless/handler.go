package serverless

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/serverless"
)

// Handler transforms batches of records and publishes the readings. It
// holds no state between batches, which is what a serverless instance can
// promise. It is the serverless.Core of both platform adapters.
type Handler struct {
	// Transform is the same step the Kubernetes service runs
	// (pipeline.Stage.Transform).
	Transform eventbus.Transform
	// Client publishes readings and dead letters.
	Client *kgo.Client
	// Propagator extracts the producer's trace context from record headers.
	Propagator propagation.TextMapPropagator
	// Tracer starts one process span per record, a child of the producer's.
	Tracer trace.Tracer
	// Now stamps dead letters; nil is time.Now.
	Now func() time.Time
}

// Process transforms b and publishes its readings (and, if b asks, the
// poison records' dead letters), acknowledged by the brokers before it
// returns. A record whose transform fails for good is a Failure in the
// Result; an error (the decoder shutting down, ctx ended, the brokers
// refusing) means the whole batch must be retried.
func (h *Handler) Process(ctx context.Context, b serverless.Batch) (serverless.Result, error) {
	var (
		res  serverless.Result
		outs []*kgo.Record
	)
	for _, in := range b.Records {
		recs, err := h.one(ctx, in)
		switch {
		case transient(ctx, err):
			return serverless.Result{}, fmt.Errorf("transforming %s[%d]@%d: %w", in.Topic, in.Partition, in.Offset, err)
		case err != nil:
			res.Poison = append(res.Poison, serverless.Failure{Record: in, Err: err})
		default:
			outs = append(outs, recs...)
		}
	}
	sum := Summary{Records: len(b.Records), Readings: len(outs)}
	if b.DeadLetter {
		for _, p := range res.Poison {
			outs = append(outs, eventbus.DLQRecord(p.Record, p.Err, h.now()))
		}
		sum.DeadLettered = len(res.Poison)
	}
	if err := serverless.Publish(ctx, h.Client, outs); err != nil {
		return serverless.Result{}, err
	}
	res.Summary = sum
	return res, nil
}

func (h *Handler) one(ctx context.Context, in *kgo.Record) ([]*kgo.Record, error) {
	pctx, span := serverless.ProcessSpan(ctx, h.Propagator, h.Tracer, in)
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

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}
