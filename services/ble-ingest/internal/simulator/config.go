package simulator

import (
	"errors"
	"fmt"
	"time"

	"github.com/bluestream/bluestream/services/ble-ingest/floorplan"
)

// Group asks for Count devices of one kind advertising every Interval.
type Group struct {
	Kind     Kind
	Count    int
	Interval time.Duration
}

// Config describes a simulation. Zero values of the tuning fields take the
// defaults their comments state.
type Config struct {
	Seed  uint64
	Start time.Time
	// Plan places the devices in its zones and hears them at its gateways.
	floorplan.Plan
	Fleet []Group
	// PathLossExponent n of the log-distance model; default 2.5 (indoor office).
	PathLossExponent float64
	// NoiseDB is the standard deviation of RSSI noise in dB; default 4.
	NoiseDB float64
	// SensitivityDBm is the weakest RSSI a gateway reports; default -95.
	SensitivityDBm float64
	// MoveProbability is the chance per advertisement that a device walks to a
	// random spot in another zone; default 0.01.
	MoveProbability float64
}

func (c Config) withDefaults() Config {
	if c.PathLossExponent == 0 {
		c.PathLossExponent = 2.5
	}
	if c.NoiseDB == 0 {
		c.NoiseDB = 4
	}
	if c.SensitivityDBm == 0 {
		c.SensitivityDBm = -95
	}
	if c.MoveProbability == 0 {
		c.MoveProbability = 0.01
	}
	return c
}

// Validate names the first field that cannot work.
func (c Config) Validate() error {
	if c.Start.IsZero() {
		return errors.New("start: must be set")
	}
	if len(c.Zones) == 0 {
		return errors.New("zones: need at least one zone")
	}
	for i, z := range c.Zones {
		if z.ID == "" || !z.Area.Valid() {
			return fmt.Errorf("zones[%d]: need an id and a rectangle with Max above Min", i)
		}
	}
	if len(c.Gateways) == 0 {
		return errors.New("gateways: need at least one gateway")
	}
	for i, g := range c.Gateways {
		if g.ID == "" {
			return fmt.Errorf("gateways[%d].id: must not be empty", i)
		}
	}
	for i, g := range c.Fleet {
		if g.Kind < KindIBeaconBadge || g.Kind > KindPlain {
			return fmt.Errorf("fleet[%d].kind: unknown kind %d", i, g.Kind)
		}
		if g.Count < 0 || g.Interval < 20*time.Millisecond {
			return fmt.Errorf("fleet[%d]: count must be >= 0 and interval >= 20ms (the spec minimum), got %d and %v", i, g.Count, g.Interval)
		}
	}
	return nil
}

// Office returns floorplan.Office with a mixed fleet of 40 devices. `make run`
// and the tests use it.
func Office(seed uint64, start time.Time) Config {
	return Config{
		Seed:  seed,
		Start: start,
		Plan:  floorplan.Office(),
		Fleet: []Group{
			{Kind: KindIBeaconBadge, Count: 12, Interval: time.Second},
			{Kind: KindEddystoneTag, Count: 8, Interval: 2 * time.Second},
			{Kind: KindEddystoneURL, Count: 2, Interval: 3 * time.Second},
			{Kind: KindRuuviTag, Count: 6, Interval: 1285 * time.Millisecond},
			{Kind: KindBTHomeSensor, Count: 6, Interval: 5 * time.Second},
			{Kind: KindPlain, Count: 6, Interval: 500 * time.Millisecond},
		},
	}
}
