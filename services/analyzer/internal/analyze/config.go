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
	// Lateness is how far event time may run behind the newest reading
	// before timeouts fire: readings from slower partitions or gateways get
	// this long to arrive before a device is declared gone. Default 10s.
	Lateness time.Duration
}

func (c Config) withDefaults() Config {
	if c.Lateness == 0 {
		c.Lateness = 10 * time.Second
	}
	return c
}

// Validate names the first setting that cannot work.
func (c Config) Validate() error {
	if c.Lateness < 0 {
		return fmt.Errorf("analyze.lateness: must not be negative, got %s", c.Lateness)
	}
	return nil
}
