package serverless

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/plugin/kotel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/services/analyzer/internal/alert"
	"github.com/bluestream/bluestream/services/analyzer/internal/analyze"
	"github.com/bluestream/bluestream/services/analyzer/internal/mapper"
	"github.com/bluestream/bluestream/services/analyzer/internal/store"
)

// Failure is an input record that can never be applied (a poison record)
// and why. Retrying it gives the same error, so the platform must park it.
type Failure struct {
	Record *kgo.Record
	Err    error
	// Redelivered is true when an earlier delivery already consumed the
	// record's offset (and, when dead-lettering, sent it to the DLQ).
	Redelivered bool
}

// Result is what one batch did.
type Result struct {
	Records int
	// Applied counts records that changed the projections now.
	Applied int
	// Duplicates counts records an earlier delivery already committed.
	Duplicates int
	// Alerts counts the alert events published.
	Alerts int
	// Poison are the records that failed for good, in input order.
	Poison []Failure
	// DeadLettered counts poison records published to the DLQ by this call.
	DeadLettered int
}

// Handler applies batches to the engine on Store. It holds no projection
// state between batches: each opens the engine from the store.
type Handler struct {
	Store  store.Store
	Engine analyze.Config
	// Lock serialises batches across instances; nil leaves them
	// unserialised (one instance, as in tests of a single call).
	Lock   *Lock
	Client *eventbus.Client
	// Input is the topic the records come from; Alerts the topic alerts
	// go to.
	Input, Alerts string
	// DeadLetter publishes poison records to the input's DLQ before the
	// commit (Azure Functions with commitOnFailure false). When false they
	// are only reported, for the platform to park (Lambda's on-failure
	// destination).
	DeadLetter bool
	// Propagator extracts the producer's trace context from record headers.
	Propagator propagation.TextMapPropagator
	// Tracer starts one process span per record, a child of the producer's.
	Tracer trace.Tracer
	Logger *slog.Logger
	// Now stamps dead letters; nil is time.Now.
	Now func() time.Time
}

// pendingAlert is an alert event and the context of the record that caused
// it, so the published alert continues that record's trace.
type pendingAlert struct {
	ctx context.Context
	ev  alert.Event
}

// Process applies batch, publishes its alerts (and dead letters), and
// commits state and offsets. An error means nothing was committed and the
// whole batch must be retried: alerts it published may come again, with the
// same ce_id, as with the service's consumer after a crash.
func (h *Handler) Process(ctx context.Context, batch []*kgo.Record) (res Result, err error) {
	if h.Lock != nil {
		release, err := h.Lock.Acquire(ctx)
		if err != nil {
			return Result{}, err
		}
		defer release()
	}
	eng, err := analyze.Open(ctx, h.Store, h.Engine)
	if err != nil {
		return Result{}, err
	}
	parts, err := h.partitions(ctx)
	if err != nil {
		return Result{}, err
	}
	eng.ExpectPartitions(parts)
	committed := eng.Offsets()

	res.Records = len(batch)
	var (
		alerts []pendingAlert
		dlq    []*kgo.Record
	)
	for _, r := range batch {
		rctx, span := h.span(ctx, r)
		at := analyze.Offset{Partition: store.Partition{Topic: r.Topic, Partition: r.Partition}, Offset: r.Offset}
		in, err := decode(r)
		var out analyze.Output
		if err == nil {
			out, err = in.apply(eng, at)
		}
		switch {
		case isPoison(err):
			// Consumed, so the offset advances with the commit; but
			// reported on every delivery, since its bytes decide.
			eng.Skip(at)
			err = invalid(err)
			next, seen := committed[at.Partition]
			redelivered := seen && at.Offset < next
			res.Poison = append(res.Poison, Failure{Record: r, Err: err, Redelivered: redelivered})
			if h.DeadLetter && !redelivered {
				dlq = append(dlq, eventbus.DLQRecord(r, err, h.now()))
			}
			span.RecordError(err)
			span.SetStatus(codes.Error, err.Error())
		case err != nil:
			span.RecordError(err)
			span.End()
			return Result{}, fmt.Errorf("applying %s@%d: %w", at.Partition, at.Offset, err)
		case out.Duplicate:
			res.Duplicates++
		default:
			res.Applied++
			for _, ev := range out.Alerts {
				alerts = append(alerts, pendingAlert{ctx: rctx, ev: ev})
			}
		}
		span.End()
	}

	recs := dlq
	for _, a := range alerts {
		rec, err := h.alertRecord(a, eng)
		if err != nil {
			return Result{}, err
		}
		recs = append(recs, rec)
	}
	if len(recs) > 0 {
		if err := h.Client.ProduceSync(ctx, recs...).FirstErr(); err != nil {
			return Result{}, fmt.Errorf("publishing %d alerts and dead letters: %w", len(recs), err)
		}
	}
	if err := eng.Commit(ctx); err != nil {
		return Result{}, err
	}
	res.Alerts, res.DeadLettered = len(alerts), len(dlq)
	return res, nil
}

// alertRecord encodes an alert event as the service's consumer does: keyed
// by its subject, with a ce_id that a repeat shares.
func (h *Handler) alertRecord(a pendingAlert, eng *analyze.Engine) (*kgo.Record, error) {
	var zone string
	if id := a.ev.Alert.DeviceID; id != "" {
		if d, ok := eng.Device(id); ok {
			zone = d.Zone.Key()
		}
	}
	msg, key := mapper.Event(a.ev, zone)
	return h.Client.Encoder.Record(a.ctx, eventbus.Event{
		Topic: h.Alerts, Key: key, Msg: msg, Time: a.ev.At,
		ID: a.ev.Alert.ID + "/" + a.ev.Type.String(),
	})
}

// partitions lists every partition of the input topic: the engine fires no
// timeouts until each has been read, as in the service.
func (h *Handler) partitions(ctx context.Context) ([]store.Partition, error) {
	// Not closed: closing a kadm client closes the shared kgo client.
	topics, err := kadm.NewClient(h.Client.Client).ListTopics(ctx, h.Input)
	if err != nil {
		return nil, fmt.Errorf("listing partitions of %s: %w", h.Input, err)
	}
	td, ok := topics[h.Input]
	if !ok || td.Err != nil {
		return nil, fmt.Errorf("input topic %s: %w", h.Input, errors.Join(td.Err, errors.New("not found")))
	}
	out := make([]store.Partition, 0, len(td.Partitions))
	for p := range td.Partitions {
		out = append(out, store.Partition{Topic: h.Input, Partition: p})
	}
	return out, nil
}

// span continues the trace of whoever produced r (its traceparent header,
// not the platform's invocation context) with a process span.
func (h *Handler) span(ctx context.Context, r *kgo.Record) (context.Context, trace.Span) {
	pctx := h.Propagator.Extract(ctx, kotel.NewRecordCarrier(r))
	return h.Tracer.Start(pctx, r.Topic+" process",
		trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(
			attribute.String("messaging.system", "kafka"),
			attribute.String("messaging.operation.type", "process"),
			attribute.String("messaging.destination.name", r.Topic),
			attribute.String("messaging.destination.partition.id", strconv.Itoa(int(r.Partition))),
			attribute.Int64("messaging.kafka.offset", r.Offset),
		))
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}
