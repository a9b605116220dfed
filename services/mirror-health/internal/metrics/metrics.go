// Package metrics exports mirror-health's evaluations as OpenTelemetry
// gauges, which the platform's Prometheus exporter serves on /metrics: lag in
// records and in seconds per partition (what Burrow and kafka_exporter users
// alert on), the status per partition and for the flow as a state set (one
// series per status, 1 for the current one), replication latency and
// compliance violations.
package metrics

import (
	"context"
	"fmt"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/bluestream/bluestream/services/mirror-health/internal/status"
)

// Recorder turns reports into gauge values.
type Recorder struct {
	flow                           []attribute.KeyValue
	lagRecords, lagSeconds         metric.Int64Gauge
	partitionStatus, flowStatus    metric.Int64Gauge
	throughput, latency, heartbeat metric.Float64Gauge
	violations                     metric.Int64Gauge
}

// statuses lists every status a state set carries a series for.
var statuses = []status.Status{status.NotFound, status.OK, status.Warn, status.Stall, status.Stop, status.Err}

// New creates the instruments on meter for the flow source->target.
func New(meter metric.Meter, source, target string) (*Recorder, error) {
	r := &Recorder{flow: []attribute.KeyValue{attribute.String("source_cluster", source), attribute.String("target_cluster", target)}}
	var errs [8]error
	r.lagRecords, errs[0] = meter.Int64Gauge("mirror_health_lag_records", metric.WithDescription("source records not yet on the target, per partition"))
	r.lagSeconds, errs[1] = meter.Int64Gauge("mirror_health_lag_seconds", metric.WithDescription("how long the oldest unreplicated record has waited, whole seconds, per partition"))
	r.partitionStatus, errs[2] = meter.Int64Gauge("mirror_health_partition_status", metric.WithDescription("1 for the partition's current Burrow status, 0 for the others"))
	r.flowStatus, errs[3] = meter.Int64Gauge("mirror_health_status", metric.WithDescription("1 for the flow's current Burrow status, 0 for the others"))
	r.throughput, errs[4] = meter.Float64Gauge("mirror_health_replicated_records_per_second", metric.WithDescription("records replicated per second over the window, per partition"))
	r.latency, errs[5] = meter.Float64Gauge("mirror_health_replication_latency_seconds", metric.WithDescription("age of the newest heartbeat that crossed from source to target"))
	r.heartbeat, errs[6] = meter.Float64Gauge("mirror_health_heartbeat_age_seconds", metric.WithDescription("age of the newest heartbeat the mirror wrote on the target"))
	r.violations, errs[7] = meter.Int64Gauge("mirror_health_compliance_violations", metric.WithDescription("topics on the target that the allow-list does not cover"))
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("creating mirror-health instruments: %w", err)
		}
	}
	return r, nil
}

// Record sets every gauge from one evaluation.
func (r *Recorder) Record(ctx context.Context, rep status.Report) {
	for _, p := range rep.Partitions {
		attrs := append([]attribute.KeyValue{attribute.String("topic", p.Topic), attribute.Int("partition", int(p.Partition))}, r.flow...)
		set := metric.WithAttributes(attrs...)
		r.lagRecords.Record(ctx, p.LagRecords, set)
		r.lagSeconds.Record(ctx, int64(p.LagTime.Seconds()), set)
		r.throughput.Record(ctx, p.Throughput, set)
		r.stateSet(ctx, r.partitionStatus, p.Status, attrs)
	}
	r.stateSet(ctx, r.flowStatus, rep.Status, r.flow)
	flow := metric.WithAttributes(r.flow...)
	if rep.HasReplicationLatency {
		r.latency.Record(ctx, rep.ReplicationLatency.Seconds(), flow)
	}
	if rep.HeartbeatSeen {
		r.heartbeat.Record(ctx, rep.HeartbeatAge.Seconds(), flow)
	}
	r.violations.Record(ctx, int64(len(rep.Violations)), flow)
}

func (r *Recorder) stateSet(ctx context.Context, g metric.Int64Gauge, current status.Status, attrs []attribute.KeyValue) {
	for _, s := range statuses {
		v := int64(0)
		if s == current {
			v = 1
		}
		g.Record(ctx, v, metric.WithAttributes(append(attrs, attribute.String("status", s.String()))...))
	}
}
