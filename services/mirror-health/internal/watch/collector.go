package watch

import (
	"context"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/services/mirror-health/internal/mm2"
	"github.com/bluestream/bluestream/services/mirror-health/internal/status"
)

// Collector gathers one round of facts per Collect call.
type Collector struct {
	cfg    Config
	eval   *status.Evaluator
	src    *kgo.Client
	tgt    *kgo.Client
	srcAdm *kadm.Client
	tgtAdm *kadm.Client
	// Internal topics are re-read incrementally; these remember how far.
	heartbeats  *tail
	remoteBeats *tail
	checkpoints *tail
	syncs       *tail
	latestBeat  time.Time
	// latestRemoteBeat is the newest heartbeat that crossed from the source
	// (in "<source>.heartbeats" on the target).
	latestRemoteBeat time.Time
	latestCP         map[cpKey]status.CheckpointObservation
	latestSync       map[status.PartitionKey]mm2.OffsetSync
}

type cpKey struct {
	group, topic string
	partition    int32
}

// New connects to both clusters. Close releases the connections.
func New(cfg Config, eval *status.Evaluator) (*Collector, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.applyDefaults()
	src, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(cfg.SourceBrokers...)}, cfg.SourceOpts...)...)
	if err != nil {
		return nil, fmt.Errorf("creating source client: %w", err)
	}
	tgt, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(cfg.TargetBrokers...)}, cfg.TargetOpts...)...)
	if err != nil {
		src.Close()
		return nil, fmt.Errorf("creating target client: %w", err)
	}
	syncsSeeds, syncsOpts, syncsAdm := cfg.SourceBrokers, cfg.SourceOpts, kadm.NewClient(src)
	syncsTopic := mm2.OffsetSyncsTopic(cfg.TargetAlias)
	if cfg.OffsetSyncs == OnTarget {
		syncsSeeds, syncsOpts, syncsAdm = cfg.TargetBrokers, cfg.TargetOpts, kadm.NewClient(tgt)
		syncsTopic = mm2.OffsetSyncsTopic(cfg.SourceAlias)
	}
	tgtAdm := kadm.NewClient(tgt)
	return &Collector{
		cfg: cfg, eval: eval, src: src, tgt: tgt, srcAdm: kadm.NewClient(src), tgtAdm: tgtAdm,
		heartbeats:  newTail(tgtAdm, cfg.TargetBrokers, cfg.TargetOpts, mm2.HeartbeatsTopic),
		remoteBeats: newTail(tgtAdm, cfg.TargetBrokers, cfg.TargetOpts, mm2.RemoteTopic(cfg.SourceAlias, mm2.HeartbeatsTopic)),
		checkpoints: newTail(tgtAdm, cfg.TargetBrokers, cfg.TargetOpts, mm2.CheckpointsTopic(cfg.SourceAlias)),
		syncs:       newTail(syncsAdm, syncsSeeds, syncsOpts, syncsTopic),
		latestCP:    map[cpKey]status.CheckpointObservation{},
		latestSync:  map[status.PartitionKey]mm2.OffsetSync{},
	}, nil
}

// Close releases both clusters' connections.
func (c *Collector) Close() {
	c.src.Close()
	c.tgt.Close()
}

// Collect observes every mirrored partition once and returns the evaluation.
func (c *Collector) Collect(ctx context.Context) (status.Report, error) {
	if err := c.readInternalTopics(ctx); err != nil {
		return status.Report{}, err
	}
	now := c.cfg.Now()
	for _, topic := range c.cfg.Topics {
		if err := c.observeTopic(ctx, topic, now); err != nil {
			return status.Report{}, err
		}
	}
	checkpoints, err := c.checkpointObservations(ctx)
	if err != nil {
		return status.Report{}, err
	}
	topics, err := c.tgtAdm.ListTopics(ctx)
	if err != nil {
		return status.Report{}, fmt.Errorf("listing target topics: %w", err)
	}
	flow := status.Flow{At: now, LatestHeartbeat: c.latestBeat, Checkpoints: checkpoints, TargetTopics: topics.Names()}
	// The newest heartbeat that made it across is at most one emit interval
	// younger than the one in flight, so its age is the replication latency
	// as MirrorMaker 2 users measure it; it grows without bound when the
	// mirror stops.
	if !c.latestRemoteBeat.IsZero() {
		flow.ReplicationLatency, flow.HasReplicationLatency = max(now.Sub(c.latestRemoteBeat), 0), true
	}
	return c.eval.Evaluate(flow), nil
}
