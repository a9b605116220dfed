package consumer

import (
	"context"
	"fmt"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/services/analyzer/internal/alert"
	"github.com/bluestream/bluestream/services/analyzer/internal/kafkaio"
)

// Run consumes until ctx ends or a round fails. On ctx's end it finishes
// the round in hand (publish and commit) before returning, so a graceful
// stop commits what it applied and nothing more.
func (c *Consumer) Run(ctx context.Context) error {
	// A round an earlier Run failed in was never committed: its records come
	// again.
	c.batch.Discard()
	for ctx.Err() == nil {
		pollCtx, cancel := context.WithTimeout(ctx, c.cfg.IdleAfter)
		fetches := c.client.PollRecords(pollCtx, c.cfg.MaxPollRecords)
		cancel()
		if err := eventbus.FetchErrors(fetches); err != nil {
			return err
		}
		var out round
		if fetches.Empty() {
			if ctx.Err() != nil {
				break
			}
			// An empty poll alone does not mean caught up: a fetch may still be
			// in flight. Only when every partition was read to its last stable
			// offset may event time follow the wall clock, so silent devices
			// and gateways time out but queued readings are not overtaken.
			caught, err := c.caughtUp(ctx)
			if err != nil {
				return err
			}
			if !caught {
				continue
			}
			tick := c.engine.Tick(c.cfg.Now().Add(-c.cfg.Lateness))
			out.alerts = tick.Alerts
		} else {
			var err error
			if out, err = c.apply(fetches); err != nil {
				return err
			}
		}
		if err := c.finish(context.WithoutCancel(ctx), out); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// round is what one poll produced for Kafka.
type round struct {
	alerts []alert.Event
	dlq    []*kgo.Record
}

// apply hands every fetched record to the engine.
func (c *Consumer) apply(fetches kgo.Fetches) (round, error) {
	var out round
	var fatal error
	fetches.EachRecord(func(r *kgo.Record) {
		if fatal != nil {
			return
		}
		at := kafkaio.OffsetOf(r)
		if r.Attrs.IsControl() {
			c.engine.Skip(at)
			return
		}
		c.batch.In(r.Topic, 1)
		// The process span continues the producer's trace from the record's
		// traceparent, so one advertisement's trace reaches the analyzer.
		_, span := c.client.ProcessSpan(r)
		res, err := kafkaio.Apply(c.engine, r)
		if err != nil {
			span.RecordError(err)
		}
		span.End()
		switch {
		case err == nil:
			out.alerts = append(out.alerts, res.Alerts...)
			// Only readings that changed the projection reached it.
			if !res.Applied.IsZero() {
				c.batch.Delivered(res.Applied)
			}
		case kafkaio.IsPoison(err):
			c.engine.Skip(at) // no-op when applying already claimed it
			out.dlq = append(out.dlq, eventbus.DLQRecord(r, err, c.cfg.Now()))
			c.batch.DeadLettered(r.Topic, eventbus.DLQReason(err))
			c.log.Warn("dead-lettering record", "topic", r.Topic, "partition", r.Partition, "offset", r.Offset, "err", err)
		default:
			fatal = fmt.Errorf("applying %s@%d: %w", at.Partition, at.Offset, err)
		}
	})
	return out, fatal
}

// finish publishes a round's alerts and dead letters, then commits the
// engine. Publishing first makes alert output at-least-once.
func (c *Consumer) finish(ctx context.Context, out round) error {
	recs := out.dlq
	for _, ev := range out.alerts {
		// A repeat after a crash carries the same ce_id.
		rec, err := kafkaio.AlertRecord(ctx, c.client.Encoder, c.cfg.AlertsTopic, c.engine, ev)
		if err != nil {
			return err
		}
		recs = append(recs, rec)
	}
	if len(recs) > 0 {
		if err := c.client.ProduceSync(ctx, recs...).FirstErr(); err != nil {
			return fmt.Errorf("publishing %d alerts and dead letters: %w", len(recs), err)
		}
	}
	if c.crashBeforeCommit != nil {
		if err := c.crashBeforeCommit(); err != nil {
			return err
		}
	}
	if err := c.engine.Commit(ctx); err != nil {
		return err
	}
	// A reading the analyzer would lose on a crash has not reached the
	// projection: its age is taken now that the commit made it durable.
	c.batch.Commit(ctx, c.cfg.Now())
	return nil
}

// caughtUp reports whether the engine has read every partition of the input
// topic up to its last stable offset.
func (c *Consumer) caughtUp(ctx context.Context) (bool, error) {
	caught, err := kafkaio.CaughtUp(ctx, kadm.NewClient(c.client.Client), c.cfg.InputTopic, c.engine.Offsets())
	if err != nil && ctx.Err() != nil {
		return false, nil
	}
	return caught, err
}
