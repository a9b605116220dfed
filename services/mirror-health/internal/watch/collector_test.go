package watch

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/services/mirror-health/internal/mirror"
	"github.com/bluestream/bluestream/services/mirror-health/internal/mm2"
	"github.com/bluestream/bluestream/services/mirror-health/internal/status"
)

const topic = "ble.enriched.v1"

// fakeClock is shared by the mirror (heartbeat timestamps) and the
// collector (observation times) so the test decides how much time passes.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newCluster(t *testing.T, opts ...kfake.Opt) *kfake.Cluster {
	t.Helper()
	c, err := kfake.NewCluster(append([]kfake.Opt{kfake.NumBrokers(1)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func produce(t *testing.T, c *kfake.Cluster, n int, ts time.Time) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	var recs []*kgo.Record
	for i := range n {
		for p := range int32(2) {
			recs = append(recs, &kgo.Record{Topic: topic, Partition: p, Value: fmt.Appendf(nil, "%d", i), Timestamp: ts})
		}
	}
	if err := cl.ProduceSync(t.Context(), recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

// waitCommitted polls until topic on c holds want committed records.
func waitCommitted(t *testing.T, c *kfake.Cluster, topic string, want int) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...), kgo.ConsumeTopics(topic),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	for got := 0; got < want; {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("%s: %d of %d records before the deadline", topic, got, want)
		}
		got += fetches.NumRecords()
	}
}

func TestCollectorFollowsTheBuiltInMirror(t *testing.T) {
	t.Parallel()
	src := newCluster(t, kfake.SeedTopics(2, topic))
	tgt := newCluster(t)
	clock := &fakeClock{now: time.UnixMilli(1_800_000_000_000)}
	produce(t, src, 20, clock.Now().Add(-time.Second))

	m, err := mirror.New(mirror.Config{
		SourceAlias: "azure", TargetAlias: "aws", SourceBrokers: src.ListenAddrs(), TargetBrokers: tgt.ListenAddrs(),
		Topics: []string{topic}, Now: clock.Now, HeartbeatInterval: 50 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	waitCommitted(t, tgt, mm2.RemoteTopic("azure", topic), 40)
	waitCommitted(t, tgt, mm2.HeartbeatsTopic, 1)
	waitCommitted(t, tgt, mm2.RemoteTopic("azure", mm2.HeartbeatsTopic), 1)

	cfg := status.DefaultConfig()
	cfg.WindowSize = 3
	allow, err := status.NewAllowList(`ble\.enriched\.v1`)
	if err != nil {
		t.Fatal(err)
	}
	eval, err := status.NewEvaluator(cfg, status.Guard{SourceAlias: "azure", Allow: allow, Sensitive: []string{"ble.advertisements.v1"}})
	if err != nil {
		t.Fatal(err)
	}
	col, err := New(Config{
		SourceAlias: "azure", TargetAlias: "aws", SourceBrokers: src.ListenAddrs(), TargetBrokers: tgt.ListenAddrs(),
		Topics: []string{topic}, OffsetSyncs: OnTarget, Now: clock.Now,
		TargetOpts: []kgo.Opt{kgo.MetadataMinAge(10 * time.Millisecond)},
	}, eval)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(col.Close)

	// Healthy: everything copied, heartbeats fresh.
	r := collect(t, col, clock)
	if r.Status != status.OK || r.Rule != status.RuleAllPartitionsOK {
		t.Fatalf("healthy mirror: %s/%s, partitions %+v", r.Status, r.Rule, r.Partitions)
	}
	// The fake clock has not moved since the mirror's first heartbeat.
	if !r.HasReplicationLatency || r.ReplicationLatency != 0 {
		t.Errorf("healthy replication latency %v (known %t), want 0s", r.ReplicationLatency, r.HasReplicationLatency)
	}
	for _, p := range r.Partitions {
		if p.SourceEnd != 20 || p.Replicated != 20 || p.LagRecords != 0 {
			t.Errorf("healthy partition %d: source end %d replicated %d lag %d, want 20/20/0", p.Partition, p.SourceEnd, p.Replicated, p.LagRecords)
		}
	}

	// The mirror dies; the source moves on; a minute passes.
	cancel()
	<-done
	produce(t, src, 5, clock.Now())
	clock.Advance(time.Minute)
	r = collect(t, col, clock)
	if r.ReplicationLatency < time.Minute {
		t.Errorf("stopped mirror: replication latency %v, want at least the minute without heartbeats", r.ReplicationLatency)
	}
	if r.Status != status.Err || r.Rule != status.RuleHeartbeatsStale {
		t.Fatalf("stopped mirror: %s/%s, want ERR/%s", r.Status, r.Rule, status.RuleHeartbeatsStale)
	}
	for _, p := range r.Partitions {
		if p.Status != status.Stop || p.LagRecords != 5 || p.LagTime != time.Minute || p.LagTimeMethod != status.LagTimeRecordTimestamp {
			t.Errorf("stopped partition %d: %s lag %d records %v by %s, want STOP 5 records 1m0s by record timestamp",
				p.Partition, p.Status, p.LagRecords, p.LagTime, p.LagTimeMethod)
		}
	}

	// Raw advertisements appear on the target.
	if _, err := kadm.NewClient(newAdminClient(t, tgt)).CreateTopic(t.Context(), 1, -1, nil, "azure.ble.advertisements.v1"); err != nil {
		t.Fatal(err)
	}
	// kgo serves topic listings from its metadata cache for a short while,
	// so the new topic shows up within a few rounds.
	deadline := time.Now().Add(30 * time.Second)
	for r = collect(t, col, clock); len(r.Violations) == 0 && time.Now().Before(deadline); {
		r = collect(t, col, clock)
	}
	if r.Status != status.Err || r.Rule != status.RuleSensitiveTopic || len(r.Violations) != 1 {
		t.Fatalf("raw topic on target: %s/%s violations %+v", r.Status, r.Rule, r.Violations)
	}
}

func collect(t *testing.T, col *Collector, clock *fakeClock) status.Report {
	t.Helper()
	r, err := col.Collect(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Second)
	return r
}

func newAdminClient(t *testing.T, c *kfake.Cluster) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}
