package stream_test

import (
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/bluestream/bluestream/platform/kafkatest"
	"github.com/bluestream/bluestream/platform/pipelinemetrics/pipelinemetricstest"
	"github.com/bluestream/bluestream/platform/topic"
)

func newCluster(t *testing.T) *kafkatest.Cluster {
	t.Helper()
	return kafkatest.New(t, "azure", kfake.SeedTopics(3, topic.Readings, topic.Enriched, topic.DLQ(topic.Readings), topic.RegistryEvents))
}

func TestRunEnrichesEachReadingOnceAndDeadLettersGarbage(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	in := startInstance(t, c, filepath.Join(t.TempDir(), "keys.json"))
	in.registerGateway(t, "gw-a", 0)
	in.registerGateway(t, "gw-b", 10)
	w := newWorkload(t)
	started := time.Now()
	publish(t, c, w.records)

	waitConsumed(t, c, in.done)
	if err := in.stop(t); err != nil {
		t.Fatalf("stream.Run: %v", err)
	}
	checkExactlyOnce(t, c, w)
	checkCounted(t, in, w, started, time.Now())
}

// TestRunExactlyOnceAcrossCrash fails the first commit (the broker never sees its
// EndTxn), so the instance dies with its outputs written and its transaction open,
// then starts a new instance with the same transactional id and group.
func TestRunExactlyOnceAcrossCrash(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	keys := filepath.Join(t.TempDir(), "keys.json")
	w := newWorkload(t)

	var failed atomic.Bool
	c.ControlKey(int16(kmsg.EndTxn), func(req kmsg.Request) (kmsg.Response, error, bool) {
		end := req.(*kmsg.EndTxnRequest)
		if !end.Commit || end.TransactionalID != testTxnID || failed.Swap(true) {
			return nil, nil, false
		}
		resp := end.ResponseKind().(*kmsg.EndTxnResponse)
		resp.ErrorCode = kerr.InvalidTxnState.Code
		return resp, nil, true
	})

	started := time.Now()
	first := startInstance(t, c, keys)
	first.registerGateway(t, "gw-a", 0)
	first.registerGateway(t, "gw-b", 10)
	publish(t, c, w.records)
	err := waitDone(t, first.done)
	if err == nil || !strings.Contains(err.Error(), "ending transaction") {
		t.Fatalf("first instance: stream.Run returned %v, want the failed commit", err)
	}
	first.sess.Close() // the process dies: nothing aborts its transaction
	first.closed = true
	if m := pipelinemetricstest.Scrape(t, first.tel.Metrics); m.TotalIn() != 0 || m.TotalDLQ() != 0 || m.Latency.Count != 0 {
		t.Errorf("the instance whose commit failed counted %v in, %v dead-lettered, %v latencies; want nothing", m.In, m.DLQ, m.Latency.Count)
	}

	// The crash left work behind: outputs written but not committed, and no
	// consumed offset committed.
	end, stable := offsets(t, c, topic.Enriched)
	if end == 0 || stable >= end {
		t.Fatalf("after the crash %s has end offsets %d and stable offsets %d, want an open transaction holding outputs", topic.Enriched, end, stable)
	}
	committed, err := kadm.NewClient(newClient(t, c)).FetchOffsets(t.Context(), testGroup)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(committed.Offsets().Sorted()); n != 0 {
		t.Fatalf("after the crash group %s has %d committed offsets, want none", testGroup, n)
	}
	uncommitted := enrichedIDs(t, w, readAll(t, c, kgo.ReadUncommitted(), topic.Enriched))
	if len(uncommitted) == 0 {
		t.Fatal("read_uncommitted sees no enriched reading of the crashed transaction")
	}

	second := startInstance(t, c, keys)
	waitConsumed(t, c, second.done)
	if err := second.stop(t); err != nil {
		t.Fatalf("second instance: stream.Run: %v", err)
	}
	checkExactlyOnce(t, c, w)
	checkCounted(t, second, w, started, time.Now())

	// The crashed transaction's outputs were aborted, not lost or doubled: the new
	// instance enriched the same advertisements again, with the same ids.
	all := enrichedIDs(t, w, readAll(t, c, kgo.ReadUncommitted(), topic.Enriched))
	for ns, n := range uncommitted {
		if all[ns] < n+1 {
			t.Errorf("advertisement at %d: %d records in the log, want the aborted %d plus the committed one", ns, all[ns], n)
		}
	}
	if !failed.Load() {
		t.Error("the commit was never failed")
	}
}

// checkCounted: the instance's pipeline metrics count every input once, the
// workload's two bad inputs as dead letters with their reasons, and one
// latency per enriched reading, aged from its first copy's receive time to a
// commit between started and stopped.
func checkCounted(t *testing.T, in *instance, w workload, started, stopped time.Time) {
	t.Helper()
	m := pipelinemetricstest.Scrape(t, in.tel.Metrics)
	if m.In[topic.Readings] != float64(len(w.records)) || len(m.In) != 1 {
		t.Errorf("records_in %v, want %d from %s", m.In, len(w.records), topic.Readings)
	}
	want := map[pipelinemetricstest.DeadLetter]float64{
		{Topic: topic.Readings, Reason: "unmarshal"}:       1, // not protobuf
		{Topic: topic.Readings, Reason: "unknown_gateway"}: 1,
	}
	if len(m.DLQ) != len(want) {
		t.Errorf("records_dlq %v, want %v", m.DLQ, want)
	}
	for k, n := range want {
		if m.DLQ[k] != n {
			t.Errorf("records_dlq%+v = %v, want %v (all: %v)", k, m.DLQ[k], n, m.DLQ)
		}
	}
	var lo, hi float64
	for ns := range w.ads {
		lo += started.Sub(time.Unix(0, ns)).Seconds()
		hi += stopped.Sub(time.Unix(0, ns)).Seconds()
	}
	if m.Latency.Count != float64(len(w.ads)) || m.Latency.Sum < lo || m.Latency.Sum > hi {
		t.Errorf("latency count %v sum %v s, want %d readings summing to %v..%v s", m.Latency.Count, m.Latency.Sum, len(w.ads), lo, hi)
	}
}
