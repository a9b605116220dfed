// Package registrylog keeps the registry projection in step with registry.events.v1:
// it replays the topic from the start before the enricher serves anything, then
// follows it, so the projection is always a function of the log.
package registrylog

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	registryv1 "github.com/bluestream/bluestream/gen/bluestream/registry/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/services/enricher/internal/mapper"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
)

// Follower applies registry events from the topic to a registry. Its client must
// consume the topic from the start without a consumer group: every instance needs
// the whole history, not a share of it.
type Follower struct {
	Client   *kgo.Client
	Topic    string
	Events   mapper.Events
	Registry *registry.Registry
	// OnErased, if set, runs after an erasure event was applied: the enricher
	// destroys the subject key (again, harmlessly, if the writer already did) and
	// drops the device's window state.
	OnErased func(ctx context.Context, e registry.DeviceErased) error

	applied atomic.Int64
}

// Applied counts the events applied so far, for tests and metrics.
func (f *Follower) Applied() int64 { return f.applied.Load() }

// CatchUp applies every event up to the end of the topic as it is when CatchUp
// starts, and returns once they are all in the projection.
func (f *Follower) CatchUp(ctx context.Context) error {
	ends, err := kadm.NewClient(f.Client).ListEndOffsets(ctx, f.Topic)
	if err != nil {
		return fmt.Errorf("listing end offsets of %s: %w", f.Topic, err)
	}
	if err := ends.Error(); err != nil {
		return fmt.Errorf("listing end offsets of %s: %w", f.Topic, err)
	}
	pending := make(map[int32]int64)
	ends.Each(func(o kadm.ListedOffset) {
		if o.Offset > 0 {
			pending[o.Partition] = o.Offset
		}
	})
	for len(pending) > 0 {
		fetches := f.Client.PollFetches(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err := eventbus.FetchErrors(fetches); err != nil {
			return err
		}
		if err := f.applyAll(ctx, fetches); err != nil {
			return err
		}
		fetches.EachPartition(func(p kgo.FetchTopicPartition) {
			if n := len(p.Records); n > 0 && p.Records[n-1].Offset+1 >= pending[p.Partition] {
				delete(pending, p.Partition)
			}
		})
	}
	return nil
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
		if err := f.apply(ctx, r); err != nil {
			errs = append(errs, fmt.Errorf("applying %s[%d]@%d: %w", r.Topic, r.Partition, r.Offset, err))
		}
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
