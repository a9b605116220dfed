package simulator

import (
	"fmt"
	"time"
)

// IncidentKind is something going wrong with a device.
type IncidentKind int

const (
	// IncidentBatteryDrain makes the battery lose Magnitude millivolts a second.
	IncidentBatteryDrain IncidentKind = iota + 1
	// IncidentTemperatureSpike adds Magnitude °C to readings for Duration.
	IncidentTemperatureSpike
	// IncidentSilent stops the device advertising.
	IncidentSilent
)

// Incident happens to one device at a virtual time.
type Incident struct {
	Kind      IncidentKind
	DeviceID  string
	At        time.Time
	Magnitude float64
	Duration  time.Duration
}

func (inc Incident) apply(d *Device) {
	switch inc.Kind {
	case IncidentBatteryDrain:
		d.drainMVPerS = inc.Magnitude
	case IncidentTemperatureSpike:
		d.spikeDelta, d.spikeUntil = inc.Magnitude, inc.At.Add(inc.Duration)
	case IncidentSilent:
		d.silent = true
	}
}

func (inc Incident) validate() error {
	if inc.Kind < IncidentBatteryDrain || inc.Kind > IncidentSilent {
		return fmt.Errorf("incident kind %d unknown", inc.Kind)
	}
	if inc.Kind == IncidentTemperatureSpike && inc.Duration <= 0 {
		return fmt.Errorf("temperature spike on %s: duration must be positive", inc.DeviceID)
	}
	return nil
}
