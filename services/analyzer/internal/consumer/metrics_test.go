package consumer

import (
	"math"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/pipelinemetrics"
	"github.com/bluestream/bluestream/platform/pipelinemetrics/pipelinemetricstest"
	"github.com/bluestream/bluestream/services/analyzer/internal/enriched/enrichedtest"
)

// TestPipelineMetrics_count_committed_records_once_and_age_readings_since_receipt:
// a round killed before its commit records nothing; the restart that
// commits the same records counts each input and dead letter once and
// observes each applied reading once, at its age since the advertisement
// was received. Dead letters add no age.
func TestPipelineMetrics_count_committed_records_once_and_age_readings_since_receipt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	now := t0.Add(time.Hour)
	sensor := func(id string, age time.Duration) *kgo.Record {
		at := now.Add(-age)
		return e.event(id, enrichedtest.Reading(id, "lab", blev1.SubjectCategory_SUBJECT_CATEGORY_SENSOR, at, enrichedtest.Measure("temperature", 21, "Cel")), at)
	}
	bad := sensor("sensor-9", time.Second)
	bad.Value = []byte{0xff, 0xff, 0xff} // dead-lettered, never applied
	e.produce(
		sensor("sensor-1", 5*time.Millisecond),
		sensor("sensor-2", 300*time.Millisecond),
		sensor("sensor-3", 7*time.Second),
		// A gateway clock ahead of the analyzer's: counted, as no age.
		sensor("sensor-4", -2*time.Second),
		bad,
	)
	ages := []float64{0.005, 0.3, 7, 0}
	clock := func() time.Time { return now }

	dir := t.TempDir()
	crashy := e.start(dir, clock, func() error { return errKilled })
	if err := <-crashy.done; err != errKilled {
		t.Fatalf("Run = %v, want the kill", err)
	}
	if crashy.consumer.batch.Empty() {
		t.Fatal("the killed round noted nothing: the test would prove nothing")
	}
	crashy.consumer.Close()
	if err := crashy.store.Close(); err != nil {
		t.Fatal(err)
	}
	if m := pipelinemetricstest.Scrape(t, e.tel.Metrics); m.TotalIn() != 0 || m.TotalDLQ() != 0 || m.Latency.Count != 0 {
		t.Fatalf("after a round killed before its commit: %v in, %v dead letters, %v latencies; want none", m.In, m.DLQ, m.Latency.Count)
	}

	a := e.start(dir, clock, nil)
	e.waitCommitted(a)
	_ = a.stop()
	m := pipelinemetricstest.Scrape(t, e.tel.Metrics)
	if m.In[input] != float64(len(ages)+1) || len(m.In) != 1 {
		t.Errorf("records_in %v, want %d from %s", m.In, len(ages)+1, input)
	}
	dl := pipelinemetricstest.DeadLetter{Topic: input, Reason: "unmarshal"}
	if m.DLQ[dl] != 1 || len(m.DLQ) != 1 {
		t.Errorf("records_dlq %v, want one of %+v", m.DLQ, dl)
	}
	h := m.Latency
	if h.Count != float64(len(ages)) {
		t.Errorf("latency count = %v, want %d: one per committed reading", h.Count, len(ages))
	}
	var sum float64
	for _, a := range ages {
		sum += a
	}
	if math.Abs(h.Sum-sum) > 1e-9 {
		t.Errorf("latency sum = %v s, want %v s", h.Sum, sum)
	}
	if len(h.Buckets) != len(pipelinemetrics.LatencyBuckets)+1 {
		t.Errorf("%d buckets on /metrics, want %d", len(h.Buckets), len(pipelinemetrics.LatencyBuckets)+1)
	}
	for le, got := range h.Buckets {
		want := 0
		for _, a := range ages {
			if a <= le {
				want++
			}
		}
		if got != float64(want) {
			t.Errorf("bucket le=%v holds %v, want %d", le, got, want)
		}
	}
}
