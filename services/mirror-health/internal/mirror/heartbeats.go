package mirror

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/services/mirror-health/internal/mm2"
)

// Heartbeats on the source measure replication latency. Besides the
// target's own "heartbeats" topic (proof the mirror is alive), the mirror
// writes a heartbeat into the source's "heartbeats" topic and copies that
// topic like any other, as MirrorMaker 2 does, so "<source>.heartbeats" on
// the target shows how long a record takes to cross.

// mirroredTopics is the allow-list plus the source heartbeats topic.
func mirroredTopics(cfg Config) []string {
	if slices.Contains(cfg.Topics, mm2.HeartbeatsTopic) {
		return cfg.Topics
	}
	return append(slices.Clone(cfg.Topics), mm2.HeartbeatsTopic)
}

// ensureSourceHeartbeats creates the source heartbeats topic if it is
// missing. One partition, as MirrorMaker 2 creates it.
func ensureSourceHeartbeats(ctx context.Context, src *kadm.Client) error {
	resp, err := src.CreateTopic(ctx, 1, -1, nil, mm2.HeartbeatsTopic)
	if err == nil {
		err = resp.Err
	}
	if err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
		return fmt.Errorf("creating source topic %s: %w", mm2.HeartbeatsTopic, err)
	}
	return nil
}

// beatOnSource writes one heartbeat into the source heartbeats topic. Its
// key names the flow it measures.
func (r *run) beatOnSource(ctx context.Context, now time.Time) error {
	hb := mm2.Heartbeat{SourceClusterAlias: r.cfg.SourceAlias, TargetClusterAlias: r.cfg.TargetAlias, Timestamp: now}
	key, err := hb.Key()
	if err != nil {
		return err
	}
	rec := &kgo.Record{Topic: mm2.HeartbeatsTopic, Key: key, Value: hb.Value(), Timestamp: now}
	if err := r.srcProd.ProduceSync(ctx, rec).FirstErr(); err != nil {
		return fmt.Errorf("producing source heartbeat: %w", err)
	}
	return nil
}
