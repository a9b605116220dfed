// Package promname names the pipeline metrics as Prometheus scrapes them from
// /metrics: what the canary AnalysisTemplates in deploy/ query.
// pipelinemetrics' tests check that the exporter produces exactly these, and
// deploy/k8stest checks every bluestream_ name the templates query against
// the constants below, read from this file's source so that the deploy
// module needs no platform build. Keep each one a typed constant with a
// string literal.
package promname

// Counter names a counter's series.
type Counter string

// Histogram names a histogram; PromQL reads its _bucket, _sum and _count
// series.
type Histogram string

const (
	// RecordsIn counts the records a stage took in (label topic).
	RecordsIn Counter = "bluestream_pipeline_records_in_total"
	// RecordsDLQ counts the records a stage sent to a dead-letter queue
	// (labels topic and reason).
	RecordsDLQ Counter = "bluestream_pipeline_records_dlq_total"
	// EndToEndLatency is the histogram of a reading's age, since its
	// advertisement was received, when a stage committed its output.
	EndToEndLatency Histogram = "bluestream_pipeline_end_to_end_latency_seconds"
)

// Counters lists the counters above.
func Counters() []Counter { return []Counter{RecordsIn, RecordsDLQ} }

// Histograms lists the histograms above.
func Histograms() []Histogram { return []Histogram{EndToEndLatency} }
