package analyze

import (
	"fmt"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/alert"
	"github.com/bluestream/bluestream/services/analyzer/internal/projection"
)

// Config tunes the engine and the parts it drives.
type Config struct {
	Projection projection.Config
	Alerts     alert.Config
	// Lateness holds timeouts back behind the low watermark (the oldest of
	// the partitions' newest event times), for readings that arrive out of
	// order within a partition, e.g. from gateways with slower uplinks.
	// Default 10s.
	Lateness time.Duration
	// AlertHistory is how many alert events are kept for listing and for
	// watchers resuming from a sequence number. Default 10,000.
	AlertHistory int
}

func (c Config) withDefaults() Config {
	if c.Lateness == 0 {
		c.Lateness = 10 * time.Second
	}
	if c.AlertHistory == 0 {
		c.AlertHistory = 10_000
	}
	return c
}

// Validate names the first setting that cannot work.
func (c Config) Validate() error {
	if c.Lateness < 0 {
		return fmt.Errorf("analyze.lateness: must not be negative, got %s", c.Lateness)
	}
	if c.AlertHistory < 1 {
		return fmt.Errorf("analyze.alert_history: must be at least 1, got %d", c.AlertHistory)
	}
	return nil
}
