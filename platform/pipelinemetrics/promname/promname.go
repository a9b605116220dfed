// Package promname names the pipeline metrics as Prometheus scrapes them from
// /metrics: what the canary AnalysisTemplates in deploy/ query. It imports
// nothing, so the deploy module can check its queries against these names
// without building the platform; pipelinemetrics' tests check that the
// exporter really produces them.
package promname

const (
	// RecordsIn counts the records a stage took in (label topic).
	RecordsIn = "bluestream_pipeline_records_in_total"
	// RecordsDLQ counts the records a stage sent to a dead-letter queue
	// (labels topic and reason).
	RecordsDLQ = "bluestream_pipeline_records_dlq_total"
	// EndToEndLatency is the histogram of a reading's age, since its
	// advertisement was received, when a stage committed its output; PromQL
	// reads its _bucket, _sum and _count series.
	EndToEndLatency = "bluestream_pipeline_end_to_end_latency_seconds"
)

// Counters lists the counter names above.
func Counters() []string { return []string{RecordsIn, RecordsDLQ} }

// Histograms lists the histogram names above.
func Histograms() []string { return []string{EndToEndLatency} }
