// Package monitor is mirror-health's heartbeat: every interval it collects
// both clusters' facts, and hands the evaluation to the RPC hub, the metrics
// and, as a ReplicationStatus event, to mirror.health.v1 on the target.
package monitor

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/mirror-health/internal/metrics"
	"github.com/bluestream/bluestream/services/mirror-health/internal/server"
	"github.com/bluestream/bluestream/services/mirror-health/internal/status"
)

// Collector is what the monitor asks for each evaluation; *watch.Collector
// is the real one.
type Collector interface {
	Collect(ctx context.Context) (status.Report, error)
}

// Monitor runs the collection loop. Metrics and Events are optional.
type Monitor struct {
	Flow      server.Flow
	Collector Collector
	Hub       *server.Hub
	Metrics   *metrics.Recorder
	// Events publishes status events; nil publishes none.
	Events   *eventbus.Client
	Interval time.Duration
	Logger   *slog.Logger
}

// Run evaluates at once, then every Interval, until ctx ends. A failed
// collection (a cluster unreachable) is logged and retried next interval:
// restarting mirror-health would not bring a cluster back, and the evaluator
// keeps its windows across the gap. A status event that cannot be published
// is logged the same way; the RPCs and metrics still carry the status.
func (m *Monitor) Run(ctx context.Context) error {
	if m.Interval <= 0 {
		return fmt.Errorf("monitor.interval: must be positive, got %s", m.Interval)
	}
	tick := time.NewTicker(m.Interval)
	defer tick.Stop()
	for {
		m.round(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

func (m *Monitor) round(ctx context.Context) {
	rep, err := m.Collector.Collect(ctx)
	if err != nil {
		if ctx.Err() == nil {
			m.Logger.Warn("collecting replication facts", "err", err)
		}
		return
	}
	m.Hub.Publish(rep)
	if m.Metrics != nil {
		m.Metrics.Record(ctx, rep)
	}
	if rep.Status != status.OK {
		m.Logger.Warn("replication unhealthy", "status", rep.Status.String(), "rule", string(rep.Rule), "violations", len(rep.Violations))
	}
	if m.Events == nil {
		return
	}
	ev := eventbus.Event{
		Topic: topic.MirrorHealth,
		// One flow is one aggregate: its statuses stay in order.
		Key:  m.Flow.SourceAlias + "->" + m.Flow.TargetAlias,
		Msg:  server.ToProto(m.Flow, rep),
		Time: rep.At,
	}
	if err := m.Events.Publish(ctx, ev); err != nil && ctx.Err() == nil {
		m.Logger.Warn("publishing replication status", "topic", topic.MirrorHealth, "err", err)
	}
}
