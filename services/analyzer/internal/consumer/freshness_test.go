package consumer

import (
	"bufio"
	"math"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/telemetry"
)

// promFreshness is the histogram's name on /metrics, which the canary
// analysis (deploy/) and make bench-pipeline depend on.
const promFreshness = "bluestream_pipeline_end_to_end_latency_seconds"

// TestFreshness_observes_committed_readings_once_with_their_age_since_receipt:
// a round killed before its commit observes nothing, the restart that
// commits the same readings observes each once, at its age since the
// advertisement was received, and dead letters add nothing.
func TestFreshness_observes_committed_readings_once_with_their_age_since_receipt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	now := t0.Add(time.Hour)
	sensor := func(id string, age time.Duration) *kgo.Record {
		at := now.Add(-age)
		return e.event(id, reading(id, "lab", blev1.SubjectCategory_SUBJECT_CATEGORY_SENSOR, at, measure("temperature", 21, "Cel")), at)
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
	if len(crashy.consumer.fresh.pending) == 0 {
		t.Fatal("the killed round applied no reading: the test would prove nothing")
	}
	crashy.consumer.Close()
	if err := crashy.store.Close(); err != nil {
		t.Fatal(err)
	}
	if h := scrapeHistogram(t, e.tel, promFreshness); h.count != 0 {
		t.Fatalf("after a round killed before its commit: %v observations, want none", h.count)
	}

	a := e.start(dir, clock, nil)
	e.waitCommitted(a)
	_ = a.stop()
	h := scrapeHistogram(t, e.tel, promFreshness)
	if h.count != float64(len(ages)) {
		t.Errorf("count = %v, want %d: one per committed reading", h.count, len(ages))
	}
	var sum float64
	for _, a := range ages {
		sum += a
	}
	if math.Abs(h.sum-sum) > 1e-9 {
		t.Errorf("sum = %v s, want %v s", h.sum, sum)
	}
	if len(h.buckets) != len(latencyBuckets)+1 {
		t.Errorf("%d buckets on /metrics, want %d", len(h.buckets), len(latencyBuckets)+1)
	}
	for le, got := range h.buckets {
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

func TestFreshnessBuckets_are_fine_enough_for_quantiles_from_1ms_to_30s(t *testing.T) {
	t.Parallel()
	b := latencyBuckets
	if b[0] != 0.001 || b[len(b)-1] < 30 {
		t.Errorf("buckets span %v..%v s, want 0.001..30", b[0], b[len(b)-1])
	}
	for i := 1; i < len(b); i++ {
		if r := b[i] / b[i-1]; r <= 1 || r > 1.1 {
			t.Errorf("bucket %v follows %v: ratio %.3f, want above 1 and at most 1.1", b[i], b[i-1], r)
		}
	}
}

type histogram struct {
	count, sum float64
	buckets    map[float64]float64 // cumulative, by upper bound
}

// scrapeHistogram reads one unlabelled histogram from the service's
// /metrics, as Prometheus would.
func scrapeHistogram(t *testing.T, tel *telemetry.Telemetry, name string) histogram {
	t.Helper()
	w := httptest.NewRecorder()
	tel.Metrics.ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	h := histogram{buckets: map[float64]float64{}}
	sc := bufio.NewScanner(w.Body)
	for sc.Scan() {
		line := sc.Text()
		series, value, ok := strings.Cut(line, " ")
		if !ok || !strings.HasPrefix(series, name+"_") {
			continue
		}
		v, err := strconv.ParseFloat(value, 64)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		metric, labels, _ := strings.Cut(series, "{")
		switch metric {
		case name + "_count":
			h.count = v
		case name + "_sum":
			h.sum = v
		case name + "_bucket":
			_, le, _ := strings.Cut(labels, `le="`)
			le, _, _ = strings.Cut(le, `"`)
			bound, err := strconv.ParseFloat(le, 64)
			if err != nil {
				t.Fatalf("%s: le: %v", line, err)
			}
			h.buckets[bound] = v
		}
	}
	return h
}
