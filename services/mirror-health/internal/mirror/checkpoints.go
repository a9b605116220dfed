package mirror

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/services/mirror-health/internal/mm2"
)

// checkpointRecords reads every source consumer group's commits on mirrored
// topics and translates them into checkpoint records for the target.
func checkpointRecords(ctx context.Context, src *kadm.Client, cfg Config, syncs syncStore, now time.Time) ([]*kgo.Record, error) {
	groups, err := src.ListGroups(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing source consumer groups: %w", err)
	}
	names := groups.Groups()
	slices.Sort(names)
	var out []*kgo.Record
	for _, g := range names {
		offsets, err := src.FetchOffsetsForTopics(ctx, g, cfg.Topics...)
		if err != nil {
			return nil, fmt.Errorf("fetching offsets of group %s: %w", g, err)
		}
		var encodeErr error
		offsets.Each(func(o kadm.OffsetResponse) {
			if o.Err != nil || o.At < 0 || encodeErr != nil {
				return
			}
			down, ok := syncs.translate(o.Topic, o.Partition, o.At)
			if !ok {
				return
			}
			cp := mm2.Checkpoint{Group: g, Topic: mm2.RemoteTopic(cfg.SourceAlias, o.Topic), Partition: o.Partition,
				UpstreamOffset: o.At, DownstreamOffset: down, Metadata: o.Metadata}
			rec, err := checkpointRecord(cfg, cp, now)
			if err != nil {
				encodeErr = fmt.Errorf("encoding checkpoint of group %s: %w", g, err)
				return
			}
			out = append(out, rec)
		})
		if encodeErr != nil {
			return nil, encodeErr
		}
	}
	return out, nil
}

func checkpointRecord(cfg Config, cp mm2.Checkpoint, now time.Time) (*kgo.Record, error) {
	key, err := cp.Key()
	if err != nil {
		return nil, err
	}
	value, err := cp.Value()
	if err != nil {
		return nil, err
	}
	return &kgo.Record{Topic: mm2.CheckpointsTopic(cfg.SourceAlias), Key: key, Value: value, Timestamp: now}, nil
}
