package serverless

import (
	"time"

	"github.com/bluestream/bluestream/platform/config"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/analyzer/internal/alert"
	"github.com/bluestream/bluestream/services/analyzer/internal/analyze"
	"github.com/bluestream/bluestream/services/analyzer/internal/projection"
)

// Config is a function's settings. Serverless platforms pass settings as
// environment variables only: these are the BLUESTREAM_* variables of the
// service's flags of the same name, plus BLUESTREAM_STORE_DSN.
type Config struct {
	Kafka eventbus.Config
	// StoreDSN names the PostgreSQL database of the projections and
	// offsets (a URL or key=value string).
	StoreDSN     string
	Input        string
	Alerts       string
	K            int
	Lateness     time.Duration
	BatteryLow   float64
	AlertHistory int
}

// Load reads Config from the environment (lookup: os.LookupEnv in a
// function) and validates it.
func Load(program string, lookup func(string) (string, bool)) (Config, error) {
	var c Config
	l := config.New(program).WithEnv(lookup)
	c.Kafka.Register(l)
	l.String(&c.StoreDSN, "store-dsn", "", "PostgreSQL database of the projections and offsets (URL or key=value)")
	l.String(&c.Input, "input-topic", topic.Remote("azure", topic.Enriched), "topic of ReadingEnriched and SubjectErased events (the mirrored enriched topic)")
	l.String(&c.Alerts, "alerts-topic", topic.Alerts, "topic to publish AlertRaised and AlertResolved on")
	l.Int(&c.K, "k", 5, "employee devices without a works-council agreement count only in aggregates of at least k")
	l.Duration(&c.Lateness, "lateness", 10*time.Second, "how far timeouts trail the newest event time, for readings that arrive out of order")
	l.Float(&c.BatteryLow, "battery-low-percent", 15, "raise battery_low below this charge")
	l.Int(&c.AlertHistory, "alert-history", 10_000, "alert events kept for listings and resuming watchers")
	if err := l.Parse(nil); err != nil {
		return Config{}, err
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Validate names the first setting that cannot work.
func (c Config) Validate() error {
	if err := config.Validate(c.Kafka); err != nil {
		return err
	}
	switch {
	case c.StoreDSN == "":
		return config.Invalid("store-dsn", "must not be empty: a function instance keeps no state, the projections live in PostgreSQL")
	case c.Input == "":
		return config.Invalid("input-topic", "must not be empty")
	case c.Alerts == "":
		return config.Invalid("alerts-topic", "must not be empty")
	case c.Alerts == c.Input:
		return config.Invalid("alerts-topic", "must differ from --input-topic (%s)", c.Input)
	case c.K < 1:
		return config.Invalid("k", "must be at least 1, got %d", c.K)
	case c.Lateness < 0:
		return config.Invalid("lateness", "must not be negative, got %s", c.Lateness)
	case c.BatteryLow <= 0 || c.BatteryLow > 100:
		return config.Invalid("battery-low-percent", "must be within (0, 100], got %v", c.BatteryLow)
	case c.AlertHistory < 1:
		return config.Invalid("alert-history", "must be at least 1, got %d", c.AlertHistory)
	}
	return nil
}

// Engine is the engine configuration these settings give, the same the
// Kubernetes service builds from its flags.
func (c Config) Engine() analyze.Config {
	return analyze.Config{
		Projection:   projection.Config{MinAggregate: c.K},
		Alerts:       alert.Config{BatteryLowPercent: c.BatteryLow},
		Lateness:     c.Lateness,
		AlertHistory: c.AlertHistory,
	}
}
