package serverless

import (
	"context"
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/serverless"
	"github.com/bluestream/bluestream/services/analyzer/internal/analyze"
	"github.com/bluestream/bluestream/services/analyzer/internal/kafkaio"
	"github.com/bluestream/bluestream/services/analyzer/internal/store"
)

// batch is what applying one delivery has produced so far.
type batch struct {
	deadLetter bool
	// committed are the offsets the store held when the batch began: a
	// poison record below them was consumed by an earlier delivery.
	committed map[store.Partition]int64
	sum       Summary
	poison    []serverless.Failure
	dlq       []*kgo.Record
	alerts    []pendingAlert
}

// Process applies b, publishes its alerts (and, if b asks, dead letters),
// and commits state and offsets. Poison records are consumed, so the offset
// advances with the commit, but reported on every delivery, since their
// bytes decide. An error means nothing was committed and the whole batch
// must be retried.
func (h *Handler) Process(ctx context.Context, b serverless.Batch) (serverless.Result, error) {
	w := &batch{deadLetter: b.DeadLetter, sum: Summary{Records: len(b.Records)}}
	err := h.withEngine(ctx, func(eng *analyze.Engine) error {
		w.committed = eng.Offsets()
		for _, r := range b.Records {
			if err := h.apply(ctx, eng, r, w); err != nil {
				return err
			}
		}
		return h.publishAndCommit(ctx, eng, w.dlq, w.alerts)
	})
	if err != nil {
		return serverless.Result{}, err
	}
	w.sum.Alerts, w.sum.DeadLettered = len(w.alerts), len(w.dlq)
	return serverless.Result{Poison: w.poison, Summary: w.sum}, nil
}

// apply hands one record to the engine in a process span that continues
// its producer's trace.
func (h *Handler) apply(ctx context.Context, eng *analyze.Engine, r *kgo.Record, w *batch) error {
	rctx, span := serverless.ProcessSpan(ctx, h.Propagator, h.Tracer, r)
	defer span.End()
	out, err := kafkaio.Apply(eng, r)
	switch {
	case kafkaio.IsPoison(err):
		at := kafkaio.OffsetOf(r)
		eng.Skip(at)
		next, seen := w.committed[at.Partition]
		redelivered := seen && at.Offset < next
		w.poison = append(w.poison, serverless.Failure{Record: r, Err: err, Redelivered: redelivered})
		if w.deadLetter && !redelivered {
			w.dlq = append(w.dlq, eventbus.DLQRecord(r, err, h.now()))
		}
		failSpan(span, err)
	case err != nil:
		failSpan(span, err)
		return fmt.Errorf("applying %s[%d]@%d: %w", r.Topic, r.Partition, r.Offset, err)
	case out.Duplicate:
		w.sum.Duplicates++
	default:
		w.sum.Applied++
		for _, ev := range out.Alerts {
			w.alerts = append(w.alerts, pendingAlert{ctx: rctx, ev: ev})
		}
	}
	return nil
}
