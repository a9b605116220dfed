// Package pipelinemetricstest reads the pipeline metrics back from a
// service's /metrics, as Prometheus would scrape them, for stage tests that
// assert what their adapter counted.
package pipelinemetricstest

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/bluestream/bluestream/platform/pipelinemetrics/promname"
)

// Snapshot is the pipeline metrics at one scrape. Series are summed over
// labels a stage test does not look at (the instrumentation scope).
type Snapshot struct {
	// In is records_in by topic ("" for series without one).
	In map[string]float64
	// DLQ is records_dlq by source topic and reason.
	DLQ map[DeadLetter]float64
	// Latency is the end-to-end latency histogram.
	Latency Histogram
	// Types maps each bluestream_pipeline family to its # TYPE.
	Types map[string]string
}

// DeadLetter names one records_dlq series.
type DeadLetter struct{ Topic, Reason string }

// Histogram is a scraped histogram: observation count, their sum, and the
// cumulative counts by upper bound (+Inf included).
type Histogram struct {
	Count, Sum float64
	Buckets    map[float64]float64
}

// TotalIn sums records_in over topics.
func (s Snapshot) TotalIn() float64 {
	var n float64
	for _, v := range s.In {
		n += v
	}
	return n
}

// TotalDLQ sums records_dlq over topics and reasons.
func (s Snapshot) TotalDLQ() float64 {
	var n float64
	for _, v := range s.DLQ {
		n += v
	}
	return n
}

// Scrape GETs /metrics from h (a telemetry's Metrics handler) and reads the
// pipeline metrics from the text exposition format.
func Scrape(t testing.TB, h http.Handler) Snapshot {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if w.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", w.Code, w.Body)
	}
	s := Snapshot{In: map[string]float64{}, DLQ: map[DeadLetter]float64{},
		Latency: Histogram{Buckets: map[float64]float64{}}, Types: map[string]string{}}
	sc := bufio.NewScanner(w.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if err := s.add(sc.Text()); err != nil {
			t.Fatalf("/metrics line %q: %v", sc.Text(), err)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return s
}

const family = "bluestream_pipeline_"

func (s *Snapshot) add(line string) error {
	if rest, ok := strings.CutPrefix(line, "# TYPE "); ok {
		name, typ, _ := strings.Cut(rest, " ")
		if strings.HasPrefix(name, family) {
			s.Types[name] = typ
		}
		return nil
	}
	if !strings.HasPrefix(line, family) {
		return nil
	}
	name, labels, value, err := parseSample(line)
	if err != nil {
		return err
	}
	latency := string(promname.EndToEndLatency)
	switch name {
	case string(promname.RecordsIn):
		s.In[labels["topic"]] += value
	case string(promname.RecordsDLQ):
		s.DLQ[DeadLetter{labels["topic"], labels["reason"]}] += value
	case latency + "_count":
		s.Latency.Count += value
	case latency + "_sum":
		s.Latency.Sum += value
	case latency + "_bucket":
		le, err := strconv.ParseFloat(labels["le"], 64) // "+Inf" parses too
		if err != nil {
			return err
		}
		s.Latency.Buckets[le] += value
	}
	return nil
}
