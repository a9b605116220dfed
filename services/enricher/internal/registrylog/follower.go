// Package registrylog keeps the registry projection in step with registry.events.v1:
// it replays the topic from the start before the enricher serves anything, then
// follows it, so the projection is always a function of the log.
package registrylog

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/twmb/franz-go/pkg/kgo"

	registryv1 "github.com/bluestream/bluestream/gen/bluestream/registry/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/services/enricher/internal/mapper"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
)

// Follower applies registry events from the topic to a registry. Its client must
// consume the topic from the start without a consumer group (every instance needs
// the whole history, not a share of it), read committed, and keep control
// records, whose offsets tell how far the log has been read: ClientOpts.
type Follower struct {
	Client   *kgo.Client
	Topic    string
	Events   mapper.Events
	Registry *registry.Registry
	// OnErased, if set, runs after an erasure event was applied: the enricher
	// destroys the subject key (again, harmlessly, if the writer already did) and
	// drops the device's window state.
	OnErased func(ctx context.Context, e registry.DeviceErased) error

	applied  atomic.Int64
	position position
}

// ClientOpts are the consumer options a Follower's client needs for topic.
func ClientOpts(topic string) []kgo.Opt {
	return []kgo.Opt{
		kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		// Writes are transactional: an aborted command must never reach a
		// projection, and the commit markers must count as read.
		kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.KeepControlRecords(),
	}
}

// Applied counts the events applied so far, for tests and metrics.
func (f *Follower) Applied() int64 { return f.applied.Load() }

// CatchUp applies every event committed when CatchUp starts, and returns once
// they are all in the projection. It polls the client itself: call it before Run.
func (f *Follower) CatchUp(ctx context.Context) error {
	ends, err := CommittedEnds(ctx, f.Client, f.Topic)
	if err != nil {
		return err
	}
	for !f.position.reached(ends) {
		if err := f.poll(ctx); err != nil {
			return err
		}
	}
	return nil
}

// WaitFor returns once Run has applied everything before ends (from
// CommittedEnds), so a command is decided against every event committed before.
func (f *Follower) WaitFor(ctx context.Context, ends map[int32]int64) error {
	return f.position.wait(ctx, ends)
}

func (f *Follower) poll(ctx context.Context) error {
	fetches := f.Client.PollFetches(ctx)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err := eventbus.FetchErrors(fetches); err != nil {
		return err
	}
	return f.applyAll(ctx, fetches)
}

// Run follows the topic until ctx ends; an event that cannot be applied stops it,
// because a projection with a hole in it would enrich with the wrong registry.
func (f *Follower) Run(ctx context.Context) error {
	for {
		fetches := f.Client.PollFetches(ctx)
		if ctx.Err() != nil || fetches.IsClientClosed() {
			return nil
		}
		if err := eventbus.FetchErrors(fetches); err != nil {
			return err
		}
		if err := f.applyAll(ctx, fetches); err != nil {
			return err
		}
	}
}

func (f *Follower) applyAll(ctx context.Context, fetches kgo.Fetches) error {
	var errs []error
	fetches.EachRecord(func(r *kgo.Record) {
		if len(errs) > 0 {
			return
		}
		if !r.Attrs.IsControl() {
			if err := f.apply(ctx, r); err != nil {
				errs = append(errs, fmt.Errorf("applying %s[%d]@%d: %w", r.Topic, r.Partition, r.Offset, err))
				return
			}
		}
		f.position.advance(r.Partition, r.Offset+1)
	})
	return errors.Join(errs...)
}

func (f *Follower) apply(ctx context.Context, r *kgo.Record) error {
	var pb registryv1.RegistryEvent
	if err := eventbus.Decode(r, &pb); err != nil {
		return err
	}
	e, err := f.Events.FromProto(ctx, &pb)
	if err != nil {
		return err
	}
	if err := f.Registry.Apply(e); err != nil {
		return err
	}
	f.applied.Add(1)
	if de, ok := e.(registry.DeviceErased); ok && f.OnErased != nil {
		return f.OnErased(ctx, de)
	}
	return nil
}
