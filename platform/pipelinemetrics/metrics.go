// Package pipelinemetrics defines the metrics every pipeline stage reports,
// once, so that each stage counts and times records the same way and the
// canary analyses in deploy/ find them under the same names on every
// service's /metrics (see promname):
//
//   - bluestream.pipeline.records_in: records a stage took in, by topic;
//   - bluestream.pipeline.records_dlq: records it dead-lettered, by source
//     topic and reason (the dlq_reason header);
//   - bluestream.pipeline.end_to_end_latency: each reading's age, since a
//     gateway received its advertisement, when the stage committed it.
//
// A stage notes what a transaction does in a Batch and records it only once
// the transaction committed, so a batch that is aborted and consumed again
// counts once.
package pipelinemetrics

import (
	"math"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// OpenTelemetry instrument names; the Prometheus exporter adds the unit and
// _total suffixes that promname spells out.
const (
	RecordsIn       = "bluestream.pipeline.records_in"
	RecordsDLQ      = "bluestream.pipeline.records_dlq"
	EndToEndLatency = "bluestream.pipeline.end_to_end_latency"
)

// Attribute keys. Their values come from a fixed set (topic names, the
// reasons of eventbus.DecodeError and the stages' own), so the series stay
// few; device, gateway or partition would not.
const (
	AttrTopic  = attribute.Key("topic")
	AttrReason = attribute.Key("reason")
)

// scope is the instrumentation scope, by OpenTelemetry's convention the
// instrumenting package's import path.
const scope = "github.com/bluestream/bluestream/platform/pipelinemetrics"

// LatencyBuckets are the latency histogram's upper bounds in seconds:
// 1 ms to 30 s, each 2^(1/8) above the last, rounded to three significant
// digits so /metrics stays legible. Quantiles are estimated by interpolating
// within a bucket, which errs by at most the bucket's width (about 9%) and by
// far less when readings spread over several buckets, so p50 and p99 stay
// within a few percent from an idle pipeline to one queueing for seconds.
var LatencyBuckets = func() []float64 {
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

// Metrics holds the instruments of one service. A nil *Metrics records
// nothing, for callers that were given none.
type Metrics struct {
	in, dlq metric.Int64Counter
	latency metric.Float64Histogram
}

// New creates the instruments on mp, normally a telemetry's MeterProvider.
// Calling it again on the same provider returns instruments that add to the
// same series.
func New(mp metric.MeterProvider) (*Metrics, error) {
	m := mp.Meter(scope)
	in, err := m.Int64Counter(RecordsIn, metric.WithUnit("{record}"),
		metric.WithDescription("Records a pipeline stage took in, counted once their processing committed."))
	if err != nil {
		return nil, err
	}
	dlq, err := m.Int64Counter(RecordsDLQ, metric.WithUnit("{record}"),
		metric.WithDescription("Records a pipeline stage sent to a dead-letter queue, counted once the dead letter committed."))
	if err != nil {
		return nil, err
	}
	latency, err := m.Float64Histogram(EndToEndLatency, metric.WithUnit("s"),
		metric.WithDescription("Age of each reading, since a gateway received its advertisement, when a pipeline stage committed its output."),
		metric.WithExplicitBucketBoundaries(LatencyBuckets...))
	if err != nil {
		return nil, err
	}
	return &Metrics{in: in, dlq: dlq, latency: latency}, nil
}
