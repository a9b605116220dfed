package monitor_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	mirrorv1 "github.com/bluestream/bluestream/gen/bluestream/mirror/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/kafkatest"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/mirror-health/internal/mirror"
	"github.com/bluestream/bluestream/services/mirror-health/internal/monitor"
	"github.com/bluestream/bluestream/services/mirror-health/internal/server"
	"github.com/bluestream/bluestream/services/mirror-health/internal/status"
	"github.com/bluestream/bluestream/services/mirror-health/internal/watch"
)

// TestStatusEventsFollowTheBuiltInMirror runs the whole loop on embedded
// clusters: built-in mirror, collector, hub and status events on the target.
func TestStatusEventsFollowTheBuiltInMirror(t *testing.T) {
	t.Parallel()
	src := kafkatest.New(t, "azure", kfake.SeedTopics(2, topic.Enriched))
	tgt := kafkatest.New(t, "aws", kfake.SeedTopics(1, topic.MirrorHealth))
	tel, err := telemetry.Setup(t.Context(), "monitor-test", telemetry.WithoutGlobals(), telemetry.WithLogOutput(io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	producer, err := eventbus.NewClient(src.Config(), tel, "//test", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(producer.Close)
	for i := range 10 {
		r := &kgo.Record{Topic: topic.Enriched, Key: []byte{byte(i)}, Value: []byte("pseudonymised")}
		if err := producer.ProduceSync(t.Context(), r).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	m, err := mirror.New(mirror.Config{SourceAlias: "azure", TargetAlias: "aws", SourceBrokers: src.ListenAddrs(), TargetBrokers: tgt.ListenAddrs(),
		Topics: []string{topic.Enriched}, HeartbeatInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	mirrorDone := make(chan error, 1)
	go func() { mirrorDone <- m.Run(ctx) }()

	cfg := status.DefaultConfig()
	cfg.WindowSize = 3
	allow, err := status.NewAllowList(`ble\.enriched\.v1`)
	if err != nil {
		t.Fatal(err)
	}
	eval, err := status.NewEvaluator(cfg, status.Guard{SourceAlias: "azure", Allow: allow})
	if err != nil {
		t.Fatal(err)
	}
	col, err := watch.New(watch.Config{SourceAlias: "azure", TargetAlias: "aws", SourceBrokers: src.ListenAddrs(), TargetBrokers: tgt.ListenAddrs(),
		Topics: []string{topic.Enriched}, OffsetSyncs: watch.OnTarget}, eval)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(col.Close)
	events, err := eventbus.NewClient(tgt.Config(), tel, "//bluestream/mirror-health", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(events.Close)
	flow := server.Flow{SourceAlias: "azure", TargetAlias: "aws"}
	mon := &monitor.Monitor{Flow: flow, Collector: col, Hub: server.NewHub(), Events: events, Interval: 50 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	monDone := make(chan error, 1)
	go func() { monDone <- mon.Run(ctx) }()

	// Read status events until one says the mirror caught up.
	reader, err := eventbus.NewClient(tgt.Config(), tel, "//test", "", kgo.ConsumeTopics(topic.MirrorHealth), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(reader.Close)
	deadline, stop := context.WithTimeout(ctx, 30*time.Second)
	defer stop()
	var last *mirrorv1.ReplicationStatus
	for last == nil || last.GetStatus() != mirrorv1.Status_STATUS_OK || sumLag(last) != 0 || len(last.GetPartitions()) != 2 {
		fetches := reader.PollFetches(deadline)
		if deadline.Err() != nil {
			t.Fatalf("no OK status event within 30s; last %v", last)
		}
		fetches.EachRecord(func(r *kgo.Record) {
			var st mirrorv1.ReplicationStatus
			if err := eventbus.Decode(r, &st); err != nil {
				t.Errorf("status event at offset %d: %v", r.Offset, err)
				return
			}
			if string(r.Key) != "azure->aws" {
				t.Errorf("event key %q, want azure->aws", r.Key)
			}
			last = &st
		})
	}
	if !strings.HasPrefix(last.GetPartitions()[0].GetTargetTopic(), "azure.") || last.GetHeartbeatLatencySeconds() < 0 {
		t.Errorf("status event %v", last)
	}
	if _, seq, _ := mon.Hub.Latest(); seq == 0 {
		t.Error("hub never received an evaluation")
	}
	cancel()
	if err := <-monDone; err != nil {
		t.Errorf("monitor: %v", err)
	}
	<-mirrorDone
}

func sumLag(st *mirrorv1.ReplicationStatus) int64 {
	var n int64
	for _, p := range st.GetPartitions() {
		n += p.GetLagRecords()
	}
	return n
}
