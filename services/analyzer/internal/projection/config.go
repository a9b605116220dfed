package projection

import (
	"errors"
	"fmt"
	"time"
)

// Config tunes the projection. The zero value of a field selects the
// default stated on it.
type Config struct {
	// TimeoutFactor multiplies a device's estimated reporting interval to
	// give the silence after which it has disappeared. Default 5: a device
	// may miss four reports in a row, as scanners often do, and stay present.
	TimeoutFactor float64
	// TimeoutFloor is the shortest disappearance timeout, so that a fast
	// advertiser does not flicker in and out. Default 30s.
	TimeoutFloor time.Duration
	// InitialTimeout applies until a device has reported often enough to
	// estimate its interval. Default 2m.
	InitialTimeout time.Duration
	// MinAggregate is k: restricted devices count in an aggregate only when
	// at least k of them do. Default 5.
	MinAggregate int
	// MoveAfter is how many consecutive readings from another zone it
	// takes to move a device there. Default 2: one stray reading from a
	// gateway next door does not move it.
	MoveAfter int
	// BucketWidth is the resolution of occupancy windows. Default 1m.
	BucketWidth time.Duration
	// Buckets is how many buckets each zone keeps, so the longest window
	// is Buckets x BucketWidth. Default 60.
	Buckets int
}

func (c Config) withDefaults() Config {
	if c.TimeoutFactor == 0 {
		c.TimeoutFactor = 5
	}
	if c.TimeoutFloor == 0 {
		c.TimeoutFloor = 30 * time.Second
	}
	if c.InitialTimeout == 0 {
		c.InitialTimeout = 2 * time.Minute
	}
	if c.MinAggregate == 0 {
		c.MinAggregate = 5
	}
	if c.MoveAfter == 0 {
		c.MoveAfter = 2
	}
	if c.BucketWidth == 0 {
		c.BucketWidth = time.Minute
	}
	if c.Buckets == 0 {
		c.Buckets = 60
	}
	return c
}

// Validate names the first setting that cannot work.
func (c Config) Validate() error {
	switch {
	case c.TimeoutFactor < 1:
		return fmt.Errorf("projection.timeout_factor: must be at least 1, got %v", c.TimeoutFactor)
	case c.TimeoutFloor <= 0:
		return errors.New("projection.timeout_floor: must be positive")
	case c.InitialTimeout <= 0:
		return errors.New("projection.initial_timeout: must be positive")
	case c.MinAggregate < 1:
		return fmt.Errorf("projection.min_aggregate: must be at least 1, got %d", c.MinAggregate)
	case c.MoveAfter < 1:
		return fmt.Errorf("projection.move_after: must be at least 1, got %d", c.MoveAfter)
	case c.BucketWidth <= 0:
		return errors.New("projection.bucket_width: must be positive")
	case c.Buckets < 1 || c.Buckets > 10_000:
		return fmt.Errorf("projection.buckets: must be within 1..10000, got %d", c.Buckets)
	}
	return nil
}
