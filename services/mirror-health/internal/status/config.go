package status

import (
	"errors"
	"fmt"
	"time"
)

// Config tunes the evaluation. The zero value is not usable; start from
// DefaultConfig.
type Config struct {
	// WindowSize is how many observations a partition's window holds.
	// Default 10, Burrow's default number of intervals.
	WindowSize int
	// HeartbeatTimeout is how old the newest heartbeat on the target may be
	// before the mirror counts as stopped. Default 30s: MirrorMaker 2 emits
	// one per second by default (emit.heartbeats.interval.seconds).
	HeartbeatTimeout time.Duration
	// MaxLag, when positive, turns a partition whose oldest unreplicated
	// record has waited longer into WARN. Default 0 (off), as in Burrow.
	MaxLag time.Duration
	// CheckpointTimeout is how old a group's newest checkpoint may be before
	// it is reported stale (WARN). Default 5m; MirrorMaker 2 emits every 60s.
	CheckpointTimeout time.Duration
}

// DefaultConfig returns the defaults documented on Config.
func DefaultConfig() Config {
	return Config{WindowSize: 10, HeartbeatTimeout: 30 * time.Second, CheckpointTimeout: 5 * time.Minute}
}

// Validate names the first field that is out of range.
func (c Config) Validate() error {
	switch {
	case c.WindowSize < 2:
		return fmt.Errorf("status.window_size: %d, need at least 2", c.WindowSize)
	case c.HeartbeatTimeout <= 0:
		return errors.New("status.heartbeat_timeout: must be positive")
	case c.MaxLag < 0:
		return errors.New("status.max_lag: must not be negative (0 turns it off)")
	case c.CheckpointTimeout <= 0:
		return errors.New("status.checkpoint_timeout: must be positive")
	}
	return nil
}
