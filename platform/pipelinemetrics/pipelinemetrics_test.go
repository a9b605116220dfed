package pipelinemetrics_test

import (
	"context"
	"io"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/bluestream/bluestream/platform/pipelinemetrics"
	"github.com/bluestream/bluestream/platform/pipelinemetrics/pipelinemetricstest"
	"github.com/bluestream/bluestream/platform/pipelinemetrics/promname"
	"github.com/bluestream/bluestream/platform/telemetry"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func setup(t *testing.T) (*telemetry.Telemetry, *pipelinemetrics.Metrics) {
	t.Helper()
	tel, err := telemetry.Setup(t.Context(), "pipelinemetrics-test", telemetry.WithoutGlobals(), telemetry.WithLogOutput(io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tel.Shutdown(context.Background()) })
	m, err := pipelinemetrics.New(tel.MeterProvider)
	if err != nil {
		t.Fatal(err)
	}
	return tel, m
}

// TestExporterProducesThePromNames: the families on /metrics are exactly the
// ones promname lists, with their types, which is what deploy/ checks the
// canary queries against.
func TestExporterProducesThePromNames(t *testing.T) {
	t.Parallel()
	tel, m := setup(t)
	b := m.NewBatch()
	b.In("ble.readings.v1", 1)
	b.DeadLettered("ble.readings.v1", "unmarshal")
	b.Delivered(t0)
	b.Commit(t.Context(), t0.Add(time.Second))

	got := pipelinemetricstest.Scrape(t, tel.Metrics).Types
	want := map[string]string{}
	for _, n := range promname.Counters() {
		want[string(n)] = "counter"
	}
	for _, n := range promname.Histograms() {
		want[string(n)] = "histogram"
	}
	if len(got) != len(want) {
		t.Errorf("/metrics has pipeline families %v, want %v", got, want)
	}
	for n, typ := range want {
		if got[n] != typ {
			t.Errorf("/metrics: %s has type %q, want %q", n, got[n], typ)
		}
	}
}

// TestBatchRecordsOnlyWhatCommitted: a discarded batch leaves no trace, a
// committed one is recorded once with its labels, and each reading's age is
// measured at the commit.
func TestBatchRecordsOnlyWhatCommitted(t *testing.T) {
	t.Parallel()
	tel, m := setup(t)
	b := m.NewBatch()
	b.In("ble.readings.v1", 5)
	b.DeadLettered("ble.readings.v1", "invalid")
	b.Delivered(t0)
	if b.Empty() {
		t.Fatal("a batch with notes says it is empty")
	}
	b.Discard()
	if s := pipelinemetricstest.Scrape(t, tel.Metrics); s.TotalIn() != 0 || s.TotalDLQ() != 0 || s.Latency.Count != 0 {
		t.Fatalf("after a discarded batch: %+v, want nothing recorded", s)
	}
	if !b.Empty() {
		t.Fatal("a discarded batch is not empty")
	}

	b.In("ble.readings.v1", 3)
	b.In("", 2) // no input topic: ingest over RPC
	b.DeadLettered("ble.readings.v1", "invalid")
	b.DeadLettered("ble.readings.v1", "invalid")
	b.DeadLettered("ble.readings.v1", "unenrichable")
	b.Delivered(t0.Add(-250 * time.Millisecond))
	b.Delivered(t0.Add(-2 * time.Second))
	b.Delivered(t0.Add(time.Second)) // a gateway clock ahead of ours: no age
	b.Commit(t.Context(), t0)
	b.Commit(t.Context(), t0) // nothing left to record

	s := pipelinemetricstest.Scrape(t, tel.Metrics)
	if s.In["ble.readings.v1"] != 3 || s.In[""] != 2 || len(s.In) != 2 {
		t.Errorf("records_in by topic %v, want 3 from ble.readings.v1 and 2 without a topic", s.In)
	}
	wantDLQ := map[pipelinemetricstest.DeadLetter]float64{
		{Topic: "ble.readings.v1", Reason: "invalid"}:      2,
		{Topic: "ble.readings.v1", Reason: "unenrichable"}: 1,
	}
	if len(s.DLQ) != len(wantDLQ) {
		t.Errorf("records_dlq %v, want %v", s.DLQ, wantDLQ)
	}
	for k, n := range wantDLQ {
		if s.DLQ[k] != n {
			t.Errorf("records_dlq%+v = %v, want %v", k, s.DLQ[k], n)
		}
	}
	if s.Latency.Count != 3 || math.Abs(s.Latency.Sum-2.25) > 1e-9 {
		t.Errorf("latency count %v sum %v, want 3 readings aged 2.25 s in all", s.Latency.Count, s.Latency.Sum)
	}
	if got := s.Latency.Buckets[0.001]; got != 1 {
		t.Errorf("bucket le=0.001 holds %v, want the reading from the future", got)
	}
	if len(s.Latency.Buckets) != len(pipelinemetrics.LatencyBuckets)+1 {
		t.Errorf("%d buckets on /metrics, want the %d bounds and +Inf", len(s.Latency.Buckets), len(pipelinemetrics.LatencyBuckets))
	}
}

func TestDeliveredThroughContextReachesTheBatch(t *testing.T) {
	t.Parallel()
	tel, m := setup(t)
	b := m.NewBatch()
	pipelinemetrics.Delivered(t.Context(), t0) // no batch: dropped
	pipelinemetrics.Delivered(pipelinemetrics.ContextWithBatch(t.Context(), b), t0.Add(-time.Second))
	b.Commit(t.Context(), t0)
	if s := pipelinemetricstest.Scrape(t, tel.Metrics); s.Latency.Count != 1 || s.Latency.Sum != 1 {
		t.Errorf("latency count %v sum %v, want the one reading the context carried to the batch", s.Latency.Count, s.Latency.Sum)
	}
}

func TestNilMetricsRecordNothing(t *testing.T) {
	t.Parallel()
	var m *pipelinemetrics.Metrics
	b := m.NewBatch()
	b.In("t", 1)
	b.DeadLettered("t", "r")
	b.Delivered(t0)
	pipelinemetrics.Delivered(pipelinemetrics.ContextWithBatch(t.Context(), b), t0)
	b.Commit(t.Context(), t0)
	b.Discard()
	if !b.Empty() {
		t.Error("a nil batch is not empty")
	}
}

func TestLatencyBucketsAreFineEnoughForQuantilesFrom1msTo30s(t *testing.T) {
	t.Parallel()
	b := pipelinemetrics.LatencyBuckets
	if b[0] != 0.001 || b[len(b)-1] < 30 || !slices.IsSorted(b) {
		t.Errorf("buckets span %v..%v s, want 0.001..30, ascending", b[0], b[len(b)-1])
	}
	for i := 1; i < len(b); i++ {
		if r := b[i] / b[i-1]; r <= 1 || r > 1.1 {
			t.Errorf("bucket %v follows %v: ratio %.3f, want above 1 and at most 1.1", b[i], b[i-1], r)
		}
	}
}
