package mirror

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/pipelinemetrics"
	"github.com/bluestream/bluestream/platform/pipelinemetrics/pipelinemetricstest"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/services/mirror-health/internal/mm2"
)

const (
	topic      = "ble.enriched.v1"
	remote     = "azure.ble.enriched.v1"
	partitions = 3
)

func testConfig(src, tgt *kfake.Cluster) Config {
	return Config{
		SourceAlias: "azure", TargetAlias: "aws",
		SourceBrokers: src.ListenAddrs(), TargetBrokers: tgt.ListenAddrs(),
		Topics:            []string{topic},
		MaxBatchRecords:   40,
		HeartbeatInterval: 50 * time.Millisecond,
	}
}

func TestRestartAfterCrashDeliversEveryRecordOnceInOrder(t *testing.T) {
	t.Parallel()
	src := newCluster(t, partitions, topic)
	tgt := newCluster(t, 0)
	const perPartition = 200
	produceNumbered(t, src, topic, partitions, 0, perPartition/2)

	tel := quietTelemetry(t)
	metrics, err := pipelinemetrics.New(tel.MeterProvider)
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(src, tgt)
	cfg.Metrics = metrics

	// First life: dies after producing its third batch, before committing.
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m.crashBeforeCommit = func(batch int) bool { return batch == 3 }
	if err := m.Run(t.Context()); !errors.Is(err, errCrashed) {
		t.Fatalf("first run ended with %v, want the planned crash", err)
	}

	// The stream goes on while the mirror is down.
	produceNumbered(t, src, topic, partitions, perPartition/2, perPartition/2)

	// Second life.
	m2, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- m2.Run(ctx) }()
	got := consumeCommitted(t, tgt, remote, perPartition*partitions)
	waitCopied(t, tel, perPartition*partitions)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("second run ended with %v, want context.Canceled", err)
	}

	checkOncePerPartitionInOrder(t, got, perPartition)
	// The crashed batch's records were copied twice but committed once.
	if in := pipelinemetricstest.Scrape(t, tel.Metrics).In[topic]; in != perPartition*partitions {
		t.Errorf("records_in{topic=%q} = %v, want %d: each committed copy once", topic, in, perPartition*partitions)
	}
}

func quietTelemetry(t *testing.T) *telemetry.Telemetry {
	t.Helper()
	tel, err := telemetry.Setup(t.Context(), "mirror-test", telemetry.WithoutGlobals(), telemetry.WithLogOutput(io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tel.Shutdown(context.Background()) })
	return tel
}

// waitCopied waits until records_in of the mirrored topic reaches n. A reader
// of the target may see a transaction's copies before the mirror learns its
// commit succeeded and counts them; stopping the mirror in between would
// lose that count, so the test waits for it.
func waitCopied(t *testing.T, tel *telemetry.Telemetry, n int) {
	t.Helper()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(30 * time.Second)
	for {
		in := pipelinemetricstest.Scrape(t, tel.Metrics).In[topic]
		if in >= float64(n) {
			return
		}
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("records_in{topic=%q} = %v after 30s, want %d", topic, in, n)
		}
	}
}

func checkOncePerPartitionInOrder(t *testing.T, got []*kgo.Record, perPartition int) {
	t.Helper()
	next := map[int32]int{}
	for _, r := range got {
		i := next[r.Partition]
		want := fmt.Sprintf("%d/%d", r.Partition, i)
		if string(r.Value) != want {
			t.Fatalf("partition %d record %d is %q, want %q (lost, duplicated or reordered)", r.Partition, i, r.Value, want)
		}
		if string(r.Key) != fmt.Sprintf("device-%d", r.Partition) {
			t.Errorf("partition %d record %d key %q not kept", r.Partition, i, r.Key)
		}
		if len(r.Headers) != 1 || !bytes.Equal(r.Headers[0].Value, fmt.Appendf(nil, "id-%d-%d", r.Partition, i)) {
			t.Errorf("partition %d record %d headers %v not kept", r.Partition, i, r.Headers)
		}
		if r.Timestamp.UnixMilli() != 1_700_000_000_000+int64(i) {
			t.Errorf("partition %d record %d timestamp %v not kept", r.Partition, i, r.Timestamp)
		}
		next[r.Partition] = i + 1
	}
	for p := range int32(partitions) {
		if next[p] != perPartition {
			t.Errorf("partition %d: %d records, want %d", p, next[p], perPartition)
		}
	}
}

func TestWritesHeartbeatsAndOffsetSyncs(t *testing.T) {
	t.Parallel()
	src := newCluster(t, partitions, topic)
	tgt := newCluster(t, 0)
	produceNumbered(t, src, topic, partitions, 0, 10)
	now := time.UnixMilli(1_800_000_000_000)
	cfg := testConfig(src, tgt)
	cfg.Now = func() time.Time { return now }
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	consumeCommitted(t, tgt, remote, 10*partitions)
	hbRecs := consumeCommitted(t, tgt, mm2.HeartbeatsTopic, 1)
	syncRecs := consumeCommitted(t, tgt, mm2.OffsetSyncsTopic("azure"), 1)
	// The heartbeat written on the source crosses like any record.
	crossed := consumeCommitted(t, tgt, mm2.RemoteTopic("azure", mm2.HeartbeatsTopic), 1)
	cancel()
	<-done

	hb, err := mm2.DecodeHeartbeat(hbRecs[0].Key, hbRecs[0].Value)
	if err != nil {
		t.Fatal(err)
	}
	if hb.SourceClusterAlias != "azure" || hb.TargetClusterAlias != "aws" || !hb.Timestamp.Equal(now) {
		t.Errorf("heartbeat = %+v, want azure->aws at %v", hb, now)
	}
	if got, err := mm2.DecodeHeartbeat(crossed[0].Key, crossed[0].Value); err != nil || got != hb || !crossed[0].Timestamp.Equal(now) {
		t.Errorf("replicated source heartbeat = %+v at %v (%v), want %+v at %v", got, crossed[0].Timestamp, err, hb, now)
	}
	for _, r := range syncRecs {
		s, err := mm2.DecodeOffsetSync(r.Key, r.Value)
		if err != nil {
			t.Fatal(err)
		}
		if s.Topic == mm2.HeartbeatsTopic {
			continue
		}
		if s.Topic != topic || s.UpstreamOffset < 0 || s.UpstreamOffset > 9 || s.DownstreamOffset < s.UpstreamOffset {
			t.Errorf("offset sync %+v does not describe a copied record", s)
		}
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	t.Parallel()
	cfg := Config{SourceAlias: "azure", TargetAlias: "azure", SourceBrokers: []string{"a:1"}, TargetBrokers: []string{"b:1"}, Topics: []string{"t"}}
	if _, err := New(cfg); err == nil || err.Error() != `mirror.target_alias: "azure" is also the source alias` {
		t.Errorf("err = %v", err)
	}
	cfg.TargetAlias, cfg.Topics = "aws", nil
	if _, err := New(cfg); err == nil || err.Error() != "mirror.topics: need at least one topic to mirror" {
		t.Errorf("err = %v", err)
	}
}

func TestMissingSourceTopicIsAnError(t *testing.T) {
	t.Parallel()
	src := newCluster(t, 1, "other")
	tgt := newCluster(t, 0)
	m, err := New(testConfig(src, tgt))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Run(t.Context()); err == nil {
		t.Fatal("Run succeeded without the source topic")
	}
}
