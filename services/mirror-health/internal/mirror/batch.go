package mirror

import (
	"context"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/services/mirror-health/internal/mm2"
)

// commitBatch writes the copies, their offset-syncs and whatever heartbeat or
// checkpoints are due in one transaction.
func (r *run) commitBatch(ctx context.Context, now time.Time, copies []*kgo.Record, beat, checkpoint bool) error {
	r.batches++
	if err := r.tgt.BeginTransaction(); err != nil {
		return fmt.Errorf("beginning transaction: %w", err)
	}
	syncs, err := r.produceCopies(ctx, copies)
	if err != nil {
		return err
	}
	extra, err := r.bookkeeping(ctx, now, syncs, beat, checkpoint)
	if err != nil {
		return err
	}
	if err := r.tgt.ProduceSync(ctx, extra...).FirstErr(); err != nil {
		return fmt.Errorf("producing mirror bookkeeping: %w", err)
	}
	if r.crashCheck != nil && r.crashCheck(r.batches) {
		return errCrashed
	}
	if err := r.tgt.EndTransaction(ctx, kgo.TryCommit); err != nil {
		return fmt.Errorf("committing transaction: %w", err)
	}
	for _, s := range syncs {
		r.syncs.add(s)
	}
	// Counted only now: the copies of a batch that did not commit are made
	// again after the restart.
	b := r.cfg.Metrics.NewBatch()
	for _, c := range copies {
		b.In(sourceOf(c).Topic, 1)
	}
	b.Commit(ctx, now)
	return nil
}

// produceCopies writes the copies and returns, per partition, the sync for
// the last copy: its source offset and the target offset it landed at.
func (r *run) produceCopies(ctx context.Context, copies []*kgo.Record) ([]mm2.OffsetSync, error) {
	if len(copies) == 0 {
		return nil, nil
	}
	results := r.tgt.ProduceSync(ctx, copies...)
	if err := results.FirstErr(); err != nil {
		return nil, fmt.Errorf("producing copies: %w", err)
	}
	last := map[sourcePartition]mm2.OffsetSync{}
	var order []sourcePartition
	for _, res := range results {
		src := sourceOf(res.Record)
		key := sourcePartition{src.Topic, src.Partition}
		if _, seen := last[key]; !seen {
			order = append(order, key)
		}
		last[key] = mm2.OffsetSync{Topic: src.Topic, Partition: src.Partition, UpstreamOffset: src.Offset, DownstreamOffset: res.Record.Offset}
	}
	syncs := make([]mm2.OffsetSync, 0, len(order))
	for _, k := range order {
		syncs = append(syncs, last[k])
	}
	return syncs, nil
}

// bookkeeping builds the offset-sync, heartbeat and checkpoint records.
func (r *run) bookkeeping(ctx context.Context, now time.Time, syncs []mm2.OffsetSync, beat, checkpoint bool) ([]*kgo.Record, error) {
	var out []*kgo.Record
	syncTopic := mm2.OffsetSyncsTopic(r.cfg.SourceAlias)
	for _, s := range syncs {
		key, err := s.Key()
		if err != nil {
			return nil, err
		}
		out = append(out, &kgo.Record{Topic: syncTopic, Key: key, Value: s.Value()})
	}
	if beat {
		hb := mm2.Heartbeat{SourceClusterAlias: r.cfg.SourceAlias, TargetClusterAlias: r.cfg.TargetAlias, Timestamp: now}
		key, err := hb.Key()
		if err != nil {
			return nil, err
		}
		out = append(out, &kgo.Record{Topic: mm2.HeartbeatsTopic, Key: key, Value: hb.Value(), Timestamp: now})
	}
	if checkpoint {
		// Translate through the syncs of this batch too: they commit with it.
		pending := syncStore{}
		for k, h := range r.syncs {
			pending[k] = append([]mm2.OffsetSync(nil), h...)
		}
		for _, s := range syncs {
			pending.add(s)
		}
		cps, err := checkpointRecords(ctx, r.srcAdm, r.cfg, pending, now)
		if err != nil {
			return nil, err
		}
		out = append(out, cps...)
	}
	return out, nil
}
