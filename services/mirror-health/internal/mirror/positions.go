package mirror

import (
	"context"
	"fmt"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/services/mirror-health/internal/mm2"
)

// loadSyncs reads every committed offset-sync from the target. It stops at
// the last stable offset: anything past it belongs to a transaction a
// crashed mirror left open, which the new producer will abort.
func loadSyncs(ctx context.Context, cfg Config, tgtAdm *kadm.Client) (syncStore, error) {
	topic := mm2.OffsetSyncsTopic(cfg.SourceAlias)
	ends, err := tgtAdm.ListCommittedOffsets(ctx, topic)
	if err != nil {
		return nil, fmt.Errorf("listing stable offsets of %s: %w", topic, err)
	}
	if err := ends.Error(); err != nil {
		return nil, fmt.Errorf("listing stable offsets of %s: %w", topic, err)
	}
	remaining := map[int32]int64{} // partition -> last offset still to see
	ends.Each(func(o kadm.ListedOffset) {
		if o.Offset > 0 {
			remaining[o.Partition] = o.Offset - 1
		}
	})
	store := syncStore{}
	if len(remaining) == 0 {
		return store, nil
	}
	cl, err := kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(cfg.TargetBrokers...),
		kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		// Control records are kept so the read can end on a commit marker,
		// the usual last entry before the stable offset.
		kgo.KeepControlRecords(),
	}, cfg.TargetOpts...)...)
	if err != nil {
		return nil, fmt.Errorf("creating offset-syncs reader: %w", err)
	}
	defer cl.Close()
	for len(remaining) > 0 {
		fetches := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("reading %s: %w", topic, err)
		}
		if err := fetches.Err(); err != nil {
			return nil, fmt.Errorf("reading %s: %w", topic, err)
		}
		var decodeErr error
		fetches.EachRecord(func(r *kgo.Record) {
			if last, ok := remaining[r.Partition]; ok && r.Offset >= last {
				delete(remaining, r.Partition)
			}
			if r.Attrs.IsControl() || decodeErr != nil {
				return
			}
			s, err := mm2.DecodeOffsetSync(r.Key, r.Value)
			if err != nil {
				decodeErr = fmt.Errorf("%s offset %d: %w", topic, r.Offset, err)
				return
			}
			store.add(s)
		})
		if decodeErr != nil {
			return nil, decodeErr
		}
	}
	return store, nil
}

// startOffsets says where to resume each source partition.
func startOffsets(store syncStore, counts map[string]int32) map[string]map[int32]kgo.Offset {
	out := make(map[string]map[int32]kgo.Offset, len(counts))
	for topic, n := range counts {
		out[topic] = make(map[int32]kgo.Offset, n)
		for p := range n {
			if next := store.next(topic, p); next >= 0 {
				out[topic][p] = kgo.NewOffset().At(next)
			} else {
				out[topic][p] = kgo.NewOffset().AtStart()
			}
		}
	}
	return out
}
