package watch

import (
	"context"
	"fmt"

	"github.com/bluestream/bluestream/services/mirror-health/internal/mm2"
	"github.com/bluestream/bluestream/services/mirror-health/internal/status"
)

// readInternalTopics folds new heartbeats, checkpoints and offset-syncs into
// the collector's latest-known state.
func (c *Collector) readInternalTopics(ctx context.Context) error {
	beats, err := c.heartbeats.read(ctx)
	if err != nil {
		return err
	}
	for _, r := range beats {
		hb, err := mm2.DecodeHeartbeat(r.Key, r.Value)
		if err != nil {
			return fmt.Errorf("heartbeat at offset %d: %w", r.Offset, err)
		}
		if hb.SourceClusterAlias == c.cfg.SourceAlias && hb.TargetClusterAlias == c.cfg.TargetAlias && hb.Timestamp.After(c.latestBeat) {
			c.latestBeat = hb.Timestamp
		}
	}
	remote, err := c.remoteBeats.read(ctx)
	if err != nil {
		return err
	}
	for _, r := range remote {
		// Any flow's heartbeat counts: it measures the path into this target.
		hb, err := mm2.DecodeHeartbeat(r.Key, r.Value)
		if err != nil {
			return fmt.Errorf("replicated heartbeat at offset %d: %w", r.Offset, err)
		}
		if hb.Timestamp.After(c.latestRemoteBeat) {
			c.latestRemoteBeat = hb.Timestamp
		}
	}
	cps, err := c.checkpoints.read(ctx)
	if err != nil {
		return err
	}
	for _, r := range cps {
		cp, err := mm2.DecodeCheckpoint(r.Key, r.Value)
		if err != nil {
			return fmt.Errorf("checkpoint at offset %d: %w", r.Offset, err)
		}
		c.latestCP[cpKey{cp.Group, cp.Topic, cp.Partition}] = status.CheckpointObservation{
			Group: cp.Group, Topic: cp.Topic, Partition: cp.Partition,
			UpstreamOffset: cp.UpstreamOffset, DownstreamOffset: cp.DownstreamOffset, EmittedAt: r.Timestamp,
		}
	}
	syncs, err := c.syncs.read(ctx)
	if err != nil {
		return err
	}
	for _, r := range syncs {
		s, err := mm2.DecodeOffsetSync(r.Key, r.Value)
		if err != nil {
			return fmt.Errorf("offset-sync at offset %d: %w", r.Offset, err)
		}
		c.latestSync[status.PartitionKey{Topic: s.Topic, Partition: s.Partition}] = s
	}
	return nil
}

// checkpointObservations adds each group's current source commit to its
// newest checkpoint.
func (c *Collector) checkpointObservations(ctx context.Context) ([]status.CheckpointObservation, error) {
	var out []status.CheckpointObservation
	for _, cp := range c.latestCP {
		cp.SourceCommitted = -1
		if _, upstream, ok := mm2.SplitRemoteTopic(cp.Topic); ok {
			offsets, err := c.srcAdm.FetchOffsetsForTopics(ctx, cp.Group, upstream)
			if err != nil {
				return nil, fmt.Errorf("fetching offsets of group %s: %w", cp.Group, err)
			}
			if o, ok := offsets.Lookup(upstream, cp.Partition); ok && o.Err == nil && o.At >= 0 {
				cp.SourceCommitted = o.At
			}
		}
		out = append(out, cp)
	}
	return out, nil
}
