//go:build kafka

package testkafka

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/mirror-health/internal/status"
	"github.com/bluestream/bluestream/services/mirror-health/internal/watch"
)

// Stated bounds for the MirrorMaker 2 scenario. A stopped MirrorMaker 2 must
// be reported within stopBound: heartbeatTimeout for the heartbeats to go
// stale plus a few collection rounds. Recovery includes MirrorMaker 2's own
// start (about 15-30s here: JVM, Connect herders, task assignment).
const (
	heartbeatTimeout = 10 * time.Second
	stopBound        = heartbeatTimeout + 15*time.Second
	recoverBound     = 120 * time.Second
	collectEvery     = time.Second
)

// steadyProducer writes one record every 50ms to ble.enriched.v1 until
// stopped, counting what the broker acknowledged.
type steadyProducer struct {
	acked  atomic.Int64
	cancel context.CancelFunc
	done   chan struct{}
}

func produceSteadily(t *testing.T, brokers []string) *steadyProducer {
	t.Helper()
	cl := client(t, brokers)
	ctx, cancel := context.WithCancel(t.Context())
	p := &steadyProducer{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			r := &kgo.Record{Topic: topic.Enriched, Key: fmt.Appendf(nil, "device-%d", i%7), Value: fmt.Appendf(nil, "reading %d", i)}
			if err := cl.ProduceSync(ctx, r).FirstErr(); err == nil {
				p.acked.Add(1)
			}
		}
	}()
	t.Cleanup(p.stop)
	return p
}

func (p *steadyProducer) stop() { p.cancel(); <-p.done }

// TestMirrorMaker2HealthStopAndRecovery is the scenario of issue 7: real
// MirrorMaker 2 replicates ble.enriched.v1 and mirror-health says OK; MM2
// dies while producers go on and mirror-health says ERR (STOP/STALL per
// partition) within stopBound; MM2 comes back and the status returns to OK.
func TestMirrorMaker2HealthStopAndRecovery(t *testing.T) {
	c := env(t)
	createTopic(t, c.azure, 2, topic.Enriched)
	// The raw topic lives on the same cluster; MirrorMaker 2 must leave it.
	createTopic(t, c.azure, 1, topic.Advertisements)
	raw := client(t, c.azure)
	if err := raw.ProduceSync(t.Context(), &kgo.Record{Topic: topic.Advertisements, Value: []byte("c0:01:02:03:04:05")}).FirstErr(); err != nil {
		t.Fatal(err)
	}
	prod := produceSteadily(t, c.azure)

	mm2 := startMirrorMaker2(t)
	awsAdm := kadm.NewClient(client(t, c.aws))
	took := eventually(t, 120*time.Second, 500*time.Millisecond, "MirrorMaker 2 creates azure.ble.enriched.v1 on aws and copies records", func() bool {
		ends, err := awsAdm.ListEndOffsets(withTimeout(t, 5*time.Second), topic.Remote("azure", topic.Enriched))
		if err != nil || ends.Error() != nil {
			return false
		}
		var n int64
		ends.Each(func(o kadm.ListedOffset) { n += o.Offset })
		return n > 0
	})
	t.Logf("MirrorMaker 2 replicating after %s", took.Round(time.Millisecond))

	col := newCollector(t, c)
	var last status.Report
	collect := func() status.Report {
		r, err := col.Collect(withTimeout(t, 20*time.Second))
		if err != nil {
			t.Fatalf("collect: %v", err)
		}
		last = r
		return r
	}
	healthy := func() bool {
		r := collect()
		return r.Status == status.OK && r.Rule == status.RuleAllPartitionsOK && r.HasReplicationLatency && len(r.Partitions) == 2
	}
	took = eventually(t, 90*time.Second, collectEvery, "status OK while MirrorMaker 2 runs", healthy)
	t.Logf("healthy after %s: latency %s, heartbeat age %s, throughput %.1f records/s, partitions %s",
		took.Round(time.Millisecond), last.ReplicationLatency, last.HeartbeatAge, last.Throughput, summary(last))
	if len(last.Violations) != 0 {
		t.Errorf("violations with the deploy allow-list: %+v", last.Violations)
	}
	if topics, err := awsAdm.ListTopics(withTimeout(t, 10*time.Second)); err != nil || topics.Has(topic.Remote("azure", topic.Advertisements)) {
		t.Errorf("aws topics %v (%v): raw advertisements must not be mirrored", topics.Names(), err)
	}

	mm2.kill(t)
	stoppedAt := time.Now()
	took = eventually(t, stopBound, collectEvery, "status ERR with partitions STOP/STALL after MirrorMaker 2 died", func() bool {
		r := collect()
		if r.Status != status.Err {
			return false
		}
		for _, p := range r.Partitions {
			if p.Status != status.Stop && p.Status != status.Stall {
				return false
			}
		}
		return true
	})
	t.Logf("MirrorMaker 2 killed: ERR/%s after %s (bound %s): partitions %s", last.Rule, took.Round(time.Millisecond), stopBound, summary(last))
	if last.Rule != status.RuleHeartbeatsStale && last.Rule != status.RuleStalled && last.Rule != status.RuleStopped {
		t.Errorf("rule %s, want %s, %s or %s", last.Rule, status.RuleHeartbeatsStale, status.RuleStalled, status.RuleStopped)
	}
	for _, p := range last.Partitions {
		if p.LagRecords <= 0 || p.LagTime <= 0 {
			t.Errorf("partition %d while stopped: lag %d records, %s; want both positive", p.Partition, p.LagRecords, p.LagTime)
		}
	}

	startMirrorMaker2(t)
	took = eventually(t, recoverBound, collectEvery, "status OK again after MirrorMaker 2 restarted", healthy)
	t.Logf("OK again %s after the restart (%s after the kill): latency %s, partitions %s",
		took.Round(time.Millisecond), time.Since(stoppedAt).Round(time.Second), last.ReplicationLatency, summary(last))

	// MirrorMaker 2 is at-least-once: after the stream stops, the mirror
	// holds at least every acknowledged record.
	prod.stop()
	want := prod.acked.Load()
	eventually(t, 60*time.Second, 500*time.Millisecond, fmt.Sprintf("aws holds all %d produced records", want), func() bool {
		ends, err := awsAdm.ListEndOffsets(withTimeout(t, 5*time.Second), topic.Remote("azure", topic.Enriched))
		if err != nil || ends.Error() != nil {
			return false
		}
		var n int64
		ends.Each(func(o kadm.ListedOffset) { n += o.Offset })
		return n >= want
	})
}

func newCollector(t *testing.T, c clusters) *watch.Collector {
	t.Helper()
	cfg := status.DefaultConfig()
	cfg.WindowSize = 5
	cfg.HeartbeatTimeout = heartbeatTimeout
	allow, err := status.NewAllowList(`ble\.enriched\.v1`)
	if err != nil {
		t.Fatal(err)
	}
	eval, err := status.NewEvaluator(cfg, status.Guard{SourceAlias: "azure", Allow: allow,
		Sensitive: []string{topic.Advertisements, topic.Readings, topic.RegistryEvents}})
	if err != nil {
		t.Fatal(err)
	}
	col, err := watch.New(watch.Config{SourceAlias: "azure", TargetAlias: "aws", SourceBrokers: c.azure, TargetBrokers: c.aws,
		Topics: []string{topic.Enriched}, OffsetSyncs: watch.OnSource}, eval)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(col.Close)
	return col
}

func summary(r status.Report) string {
	s := ""
	for _, p := range r.Partitions {
		s += fmt.Sprintf("[p%d %s/%s lag %d (%s)] ", p.Partition, p.Status, p.Rule, p.LagRecords, p.LagTime.Round(time.Millisecond))
	}
	return s
}
