package metrics_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/services/mirror-health/internal/metrics"
	"github.com/bluestream/bluestream/services/mirror-health/internal/status"
)

func TestRecordShowsOnPrometheusEndpoint(t *testing.T) {
	t.Parallel()
	tel, err := telemetry.Setup(t.Context(), "mirror-health-test", telemetry.WithoutGlobals(), telemetry.WithLogOutput(&strings.Builder{}))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := metrics.New(tel.Meter("mirror-health"), "azure", "aws")
	if err != nil {
		t.Fatal(err)
	}
	rec.Record(t.Context(), status.Report{
		Status: status.Err, Rule: status.RuleStalled,
		HeartbeatSeen: true, HeartbeatAge: 2 * time.Second,
		ReplicationLatency: 3500 * time.Millisecond, HasReplicationLatency: true,
		Partitions: []status.PartitionReport{{
			PartitionKey: status.PartitionKey{Topic: "ble.enriched.v1", Partition: 2},
			Status:       status.Stall, LagRecords: 42, LagTime: 90 * time.Second, Throughput: 0,
		}},
	})
	w := httptest.NewRecorder()
	tel.Metrics.ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	body := w.Body.String()
	for _, want := range []string{
		`mirror_health_lag_records{otel_scope_name="mirror-health",otel_scope_schema_url="",otel_scope_version="",partition="2",source_cluster="azure",target_cluster="aws",topic="ble.enriched.v1"} 42`,
		`mirror_health_lag_seconds{`, `topic="ble.enriched.v1"} 90`,
		`mirror_health_partition_status{`, `status="STALL",target_cluster="aws",topic="ble.enriched.v1"} 1`,
		`status="OK",target_cluster="aws",topic="ble.enriched.v1"} 0`,
		`mirror_health_status{`, `status="ERR",target_cluster="aws"} 1`,
		`mirror_health_replication_latency_seconds{`, `target_cluster="aws"} 3.5`,
		`mirror_health_heartbeat_age_seconds{`,
		`mirror_health_compliance_violations{`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if t.Failed() {
		t.Logf("/metrics:\n%s", grepLines(body, "mirror_health"))
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
