package serverless

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/serverless"
	"github.com/bluestream/bluestream/services/analyzer/internal/alert"
	"github.com/bluestream/bluestream/services/analyzer/internal/analyze"
	"github.com/bluestream/bluestream/services/analyzer/internal/kafkaio"
	"github.com/bluestream/bluestream/services/analyzer/internal/store"
)

// Handler applies batches to the engine on Store, and ticks it on a
// schedule. It holds no projection state between calls: each opens the
// engine from the store.
type Handler struct {
	Store  store.Store
	Engine analyze.Config
	// Lock serialises batches and ticks across instances; nil leaves them
	// unserialised (one instance, as in tests of a single call).
	Lock   *Lock
	Client *eventbus.Client
	// Input is the topic the records come from; Alerts the topic alerts
	// go to.
	Input, Alerts string
	// Propagator extracts the producer's trace context from record headers.
	Propagator propagation.TextMapPropagator
	// Tracer starts one process span per record, a child of the producer's.
	Tracer trace.Tracer
	Logger *slog.Logger
	// Now is the wall clock of ticks and dead-letter stamps; nil is
	// time.Now.
	Now func() time.Time
}

// pendingAlert is an alert event and the context of whatever caused it, so
// the published alert continues that record's trace.
type pendingAlert struct {
	ctx context.Context
	ev  alert.Event
}

// withEngine runs fn on the engine as the store holds it, under the lock,
// and with every input partition expected: the engine fires no timeouts
// until each has been read, as in the service.
func (h *Handler) withEngine(ctx context.Context, fn func(*analyze.Engine) error) error {
	if h.Lock != nil {
		release, err := h.Lock.Acquire(ctx)
		if err != nil {
			return err
		}
		defer release()
	}
	eng, err := analyze.Open(ctx, h.Store, h.Engine)
	if err != nil {
		return err
	}
	parts, err := h.partitions(ctx)
	if err != nil {
		return err
	}
	eng.ExpectPartitions(parts)
	return fn(eng)
}

// partitions lists every partition of the input topic.
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

// publishAndCommit publishes the dead letters and the alerts, waits for the
// brokers, then commits state and offsets. An error commits nothing, so a
// retry applies the records again; alerts it published may come again, with
// the same ce_id, as with the service's consumer after a crash.
func (h *Handler) publishAndCommit(ctx context.Context, eng *analyze.Engine, dlq []*kgo.Record, alerts []pendingAlert) error {
	recs := dlq
	for _, a := range alerts {
		rec, err := kafkaio.AlertRecord(a.ctx, h.Client.Encoder, h.Alerts, eng, a.ev)
		if err != nil {
			return err
		}
		recs = append(recs, rec)
	}
	if err := serverless.Publish(ctx, h.Client.Client, recs); err != nil {
		return err
	}
	return eng.Commit(ctx)
}

// failSpan marks span as failed by err.
func failSpan(span trace.Span, err error) {
	span.RecordError(err)
	span.SetStatus(codes.Error, err.Error())
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}
