package watch

import (
	"context"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"

	"github.com/bluestream/bluestream/services/mirror-health/internal/mm2"
	"github.com/bluestream/bluestream/services/mirror-health/internal/status"
)

// offsets holds a topic's end (high watermark) and last stable offsets.
type offsets struct{ end, stable map[int32]int64 }

func listOffsets(ctx context.Context, adm *kadm.Client, topic string) (offsets, error) {
	ends, err := adm.ListEndOffsets(ctx, topic)
	if err == nil {
		err = ends.Error()
	}
	if err != nil {
		return offsets{}, fmt.Errorf("listing end offsets of %s: %w", topic, err)
	}
	stable, err := adm.ListCommittedOffsets(ctx, topic)
	if err == nil {
		err = stable.Error()
	}
	if err != nil {
		return offsets{}, fmt.Errorf("listing stable offsets of %s: %w", topic, err)
	}
	o := offsets{end: map[int32]int64{}, stable: map[int32]int64{}}
	ends.Each(func(l kadm.ListedOffset) { o.end[l.Partition] = l.Offset })
	stable.Each(func(l kadm.ListedOffset) { o.stable[l.Partition] = l.Offset })
	return o, nil
}

// observeTopic feeds one observation per partition of a mirrored topic.
func (c *Collector) observeTopic(ctx context.Context, topic string, now time.Time) error {
	remote := mm2.RemoteTopic(c.cfg.SourceAlias, topic)
	src, err := listOffsets(ctx, c.srcAdm, topic)
	if err != nil {
		return err
	}
	tgt, err := listOffsets(ctx, c.tgtAdm, remote)
	if err != nil {
		return err
	}
	obs := c.replicatedPositions(ctx, topic, src, tgt)
	if err := c.tailTarget(ctx, topic, remote, tgt, obs); err != nil {
		return err
	}
	if err := c.oldestUnreplicated(ctx, topic, src, obs); err != nil {
		return err
	}
	for p, o := range obs {
		o.At = now
		if err := c.eval.Observe(status.PartitionKey{Topic: topic, Partition: p}, *o); err != nil {
			return err
		}
	}
	return nil
}

// syncFor returns the newest offset-sync of a partition, or one standing
// for "nothing synced yet" (the mirror starts at the source's beginning).
func (c *Collector) syncFor(topic string, p int32) mm2.OffsetSync {
	if s, ok := c.latestSync[status.PartitionKey{Topic: topic, Partition: p}]; ok {
		return s
	}
	return mm2.OffsetSync{Topic: topic, Partition: p, UpstreamOffset: -1, DownstreamOffset: -1}
}

func (c *Collector) replicatedPositions(_ context.Context, topic string, src, tgt offsets) map[int32]*status.Observation {
	obs := map[int32]*status.Observation{}
	for p, end := range src.end {
		obs[p] = &status.Observation{
			SourceEnd:  end,
			TargetEnd:  tgt.end[p],
			Replicated: c.syncFor(topic, p).UpstreamOffset + 1,
		}
	}
	return obs
}

// tailTarget adds the data records the target holds past each partition's
// newest sync and notes the newest replicated record's timestamp.
func (c *Collector) tailTarget(ctx context.Context, topic, remote string, tgt offsets, obs map[int32]*status.Observation) error {
	spans := map[int32]span{}
	for p := range obs {
		from := max(c.syncFor(topic, p).DownstreamOffset, 0)
		spans[p] = span{from: from, to: tgt.stable[p]}
	}
	got, err := readSpans(ctx, c.cfg.TargetBrokers, c.cfg.TargetOpts, remote, spans, false)
	if err != nil {
		return err
	}
	for p, recs := range got {
		synced := c.syncFor(topic, p).DownstreamOffset
		for _, r := range recs {
			if r.Offset > synced {
				obs[p].Replicated++
			}
			obs[p].LatestReplicated = r.Timestamp
		}
	}
	return nil
}

// oldestUnreplicated finds the first committed source record not yet on the
// target; when there is none, only markers are left and the partition is
// caught up.
func (c *Collector) oldestUnreplicated(ctx context.Context, topic string, src offsets, obs map[int32]*status.Observation) error {
	spans := map[int32]span{}
	for p, o := range obs {
		spans[p] = span{from: o.Replicated, to: src.stable[p]}
	}
	got, err := readSpans(ctx, c.cfg.SourceBrokers, c.cfg.SourceOpts, topic, spans, true)
	if err != nil {
		return err
	}
	for p, o := range obs {
		if recs := got[p]; len(recs) > 0 {
			o.OldestUnreplicated = recs[0].Timestamp
			continue
		}
		// Past the stable offset are only records of open source
		// transactions, which nobody can mirror yet: they stay as lag.
		o.Replicated = max(o.Replicated, src.stable[p])
	}
	return nil
}
