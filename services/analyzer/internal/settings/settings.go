// Package settings holds the settings every way of running the analyzer
// shares, the service and the serverless functions: its topics and the
// engine's tuning, with one set of flags, defaults and checks, so the
// targets cannot drift apart.
package settings

import (
	"time"

	"github.com/bluestream/bluestream/platform/config"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/analyzer/internal/alert"
	"github.com/bluestream/bluestream/services/analyzer/internal/analyze"
	"github.com/bluestream/bluestream/services/analyzer/internal/projection"
)

// Analyzer is the analyzer's topics and engine settings.
type Analyzer struct {
	Input        string
	Alerts       string
	K            int
	Lateness     time.Duration
	BatteryLow   float64
	AlertHistory int
}

// Register binds the settings to their flags and BLUESTREAM_* variables.
func (a *Analyzer) Register(l *config.Loader) {
	l.String(&a.Input, "input-topic", topic.Remote("azure", topic.Enriched), "topic of ReadingEnriched and SubjectErased events (the mirrored enriched topic)")
	l.String(&a.Alerts, "alerts-topic", topic.Alerts, "topic to publish AlertRaised and AlertResolved on")
	l.Int(&a.K, "k", 5, "employee devices without a works-council agreement count only in aggregates of at least k")
	l.Duration(&a.Lateness, "lateness", 10*time.Second, "how far timeouts trail the newest event time, for readings that arrive out of order")
	l.Float(&a.BatteryLow, "battery-low-percent", 15, "raise battery_low below this charge")
	l.Int(&a.AlertHistory, "alert-history", 10_000, "alert events kept for listings and resuming watchers")
}

// Validate names the first setting that cannot work.
func (a Analyzer) Validate() error {
	switch {
	case a.Input == "":
		return config.Invalid("input-topic", "must not be empty")
	case a.Alerts == "":
		return config.Invalid("alerts-topic", "must not be empty")
	case a.Alerts == a.Input:
		return config.Invalid("alerts-topic", "must differ from --input-topic (%s)", a.Input)
	case a.K < 1:
		return config.Invalid("k", "must be at least 1, got %d", a.K)
	case a.Lateness < 0:
		return config.Invalid("lateness", "must not be negative, got %s", a.Lateness)
	case a.BatteryLow <= 0 || a.BatteryLow > 100:
		return config.Invalid("battery-low-percent", "must be within (0, 100], got %v", a.BatteryLow)
	case a.AlertHistory < 1:
		return config.Invalid("alert-history", "must be at least 1, got %d", a.AlertHistory)
	}
	return nil
}

// Engine is the engine configuration these settings give.
func (a Analyzer) Engine() analyze.Config {
	return analyze.Config{
		Projection:   projection.Config{MinAggregate: a.K},
		Alerts:       alert.Config{BatteryLowPercent: a.BatteryLow},
		Lateness:     a.Lateness,
		AlertHistory: a.AlertHistory,
	}
}
