package consumer

import (
	"context"
	"math"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/metric"

	"github.com/bluestream/bluestream/services/analyzer/internal/analyze"
)

// endToEndLatency is the histogram of how old each reading is, since a
// gateway received its advertisement, when the analyzer's projection holding
// it is committed: the end-to-end freshness SREs watch. Its name is the
// pipeline-wide one the canary analysis reads from every stage
// (bluestream_pipeline_end_to_end_latency_seconds on /metrics, see
// deploy/README.md); make bench-pipeline reads its latency figures from it.
const endToEndLatency = "bluestream.pipeline.end_to_end_latency"

// meterName is the instrumentation scope, by OpenTelemetry's convention the
// instrumented package's import path.
const meterName = "github.com/bluestream/bluestream/services/analyzer/internal/consumer"

// latencyBuckets are the histogram's upper bounds in seconds:
// 1 ms to 30 s, each 2^(1/8) above the last, rounded to three significant
// digits so /metrics stays legible. Quantiles are estimated by interpolating
// within a bucket, which errs by at most the bucket's width (about 9%) and by
// far less when readings spread over several buckets, so p50 and p99 stay
// within a few percent from an idle pipeline to one queueing for seconds.
var latencyBuckets = func() []float64 {
	var b []float64
	for k := 0; ; k++ {
		v := 0.001 * math.Pow(2, float64(k)/8)
		v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 3, 64), 64)
		b = append(b, v)
		if v >= 30 {
			return b
		}
	}
}()

// freshness holds the event times of the readings applied since the last
// commit and observes their age once the commit made them durable: a
// reading the analyzer would lose on a crash has not reached the projection.
type freshness struct {
	hist    metric.Float64Histogram
	now     func() time.Time
	pending []time.Time
}

func newFreshness(m metric.Meter, now func() time.Time) (*freshness, error) {
	h, err := m.Float64Histogram(endToEndLatency,
		metric.WithUnit("s"),
		metric.WithDescription("Age of each reading, since its advertisement was received, when the analyzer committed the projection that applied it."),
		metric.WithExplicitBucketBoundaries(latencyBuckets...))
	if err != nil {
		return nil, err
	}
	return &freshness{hist: h, now: now}, nil
}

// applied notes a record's output; only readings that changed the
// projection count.
func (f *freshness) applied(out analyze.Output) {
	if !out.Applied.IsZero() {
		f.pending = append(f.pending, out.Applied)
	}
}

// committed observes every reading noted since the previous commit.
func (f *freshness) committed(ctx context.Context) {
	if len(f.pending) == 0 {
		return
	}
	now := f.now()
	for _, t := range f.pending {
		// The receive time comes from the gateway's clock: a gateway ahead of
		// the analyzer would give a negative age, which a histogram of
		// durations cannot hold.
		f.hist.Record(ctx, max(now.Sub(t), 0).Seconds())
	}
	f.pending = f.pending[:0]
}
