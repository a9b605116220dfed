package mirror

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/bluestream/bluestream/services/mirror-health/internal/mm2"
)

// partitionCounts reads how many partitions each allow-listed source topic
// has; a missing topic is an error because mirroring nothing silently would
// look healthy.
func partitionCounts(ctx context.Context, src *kadm.Client, topics []string) (map[string]int32, error) {
	details, err := src.ListTopics(ctx, topics...)
	if err != nil {
		return nil, fmt.Errorf("listing source topics: %w", err)
	}
	counts := make(map[string]int32, len(topics))
	for _, t := range topics {
		d, ok := details[t]
		if !ok || d.Err != nil {
			return nil, fmt.Errorf("source topic %s: not found (%v)", t, d.Err)
		}
		counts[t] = int32(len(d.Partitions))
	}
	return counts, nil
}

// ensureTargetTopics creates the remote topics with the source's partition
// counts, and the heartbeats, offset-syncs and checkpoints topics. A remote
// topic that already exists with fewer partitions cannot keep partitioning
// and is an error.
func ensureTargetTopics(ctx context.Context, tgt *kadm.Client, cfg Config, counts map[string]int32) error {
	want := map[string]int32{
		mm2.HeartbeatsTopic:                   1,
		mm2.OffsetSyncsTopic(cfg.SourceAlias): 1,
		mm2.CheckpointsTopic(cfg.SourceAlias): 1,
	}
	for t, n := range counts {
		want[mm2.RemoteTopic(cfg.SourceAlias, t)] = n
	}
	compact := "compact"
	for topic, n := range want {
		var configs map[string]*string
		if topic == mm2.OffsetSyncsTopic(cfg.SourceAlias) || topic == mm2.CheckpointsTopic(cfg.SourceAlias) {
			configs = map[string]*string{"cleanup.policy": &compact}
		}
		resp, err := tgt.CreateTopic(ctx, n, -1, configs, topic)
		if err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
			return fmt.Errorf("creating target topic %s: %w", topic, err)
		}
		if resp.Err != nil && !errors.Is(resp.Err, kerr.TopicAlreadyExists) {
			return fmt.Errorf("creating target topic %s: %w", topic, resp.Err)
		}
	}
	return awaitPartitionCounts(ctx, tgt, want)
}

// metadataWait bounds how long new topics may take to show up in the
// target's metadata. A real broker answers CreateTopics before every broker
// serves the topic's metadata (kfake does not), so the check is polled.
const metadataWait = 30 * time.Second

func awaitPartitionCounts(ctx context.Context, tgt *kadm.Client, want map[string]int32) error {
	ctx, cancel := context.WithTimeout(ctx, metadataWait)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		err := checkPartitionCounts(ctx, tgt, want)
		if err == nil || !errors.Is(err, errTooFewPartitions) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-tick.C:
		}
	}
}

var errTooFewPartitions = errors.New("too few partitions")

func checkPartitionCounts(ctx context.Context, tgt *kadm.Client, want map[string]int32) error {
	names := make([]string, 0, len(want))
	for t := range want {
		names = append(names, t)
	}
	details, err := tgt.ListTopics(ctx, names...)
	if err != nil {
		return fmt.Errorf("listing target topics: %w", err)
	}
	for t, n := range want {
		if got := int32(len(details[t].Partitions)); got < n {
			return fmt.Errorf("target topic %s: has %d partitions, need %d to keep partitioning: %w", t, got, n, errTooFewPartitions)
		}
	}
	return nil
}
