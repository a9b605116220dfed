package ingest

import (
	"errors"
	"fmt"
	"time"
)

// Config bounds what an Ingester holds. Zero fields take the defaults stated.
type Config struct {
	// MaxInFlightAdvertisements caps advertisements being published at once;
	// default 20000. It must fit one full batch (1000).
	MaxInFlightAdvertisements int
	// MaxInFlightBytes caps their approximate memory; default 64 MiB.
	MaxInFlightBytes int64
	// PublishTimeout is how long a batch may wait for the publisher (Kafka's
	// acknowledgement) before the caller is told it is unavailable; default 10s.
	PublishTimeout time.Duration
	// MaxGateways is how many gateways' retry windows and statistics are kept;
	// the least recently seen is forgotten first. Default 10000.
	MaxGateways int
	// Now is the clock that stamps batches; default time.Now.
	Now func() time.Time
}

func (c Config) withDefaults() Config {
	if c.MaxInFlightAdvertisements == 0 {
		c.MaxInFlightAdvertisements = 20 * MaxBatch
	}
	if c.MaxInFlightBytes == 0 {
		c.MaxInFlightBytes = 64 << 20
	}
	if c.PublishTimeout == 0 {
		c.PublishTimeout = 10 * time.Second
	}
	if c.MaxGateways == 0 {
		c.MaxGateways = 10000
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Validate names the first setting that cannot work.
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case c.MaxInFlightAdvertisements < MaxBatch:
		return fmt.Errorf("max_in_flight_advertisements: %d cannot hold one full batch of %d", c.MaxInFlightAdvertisements, MaxBatch)
	case c.MaxInFlightBytes < maxBatchBytes:
		return fmt.Errorf("max_in_flight_bytes: %d cannot hold one full batch of up to %d bytes", c.MaxInFlightBytes, maxBatchBytes)
	case c.PublishTimeout < 0:
		return errors.New("publish_timeout: must be positive")
	case c.MaxGateways < 1:
		return fmt.Errorf("max_gateways: must be at least 1, got %d", c.MaxGateways)
	}
	return nil
}
