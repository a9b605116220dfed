package registry

import (
	"math"
	"strings"
)

// maxIDLength keeps ids usable as Kafka keys and log fields.
const maxIDLength = 128

func validateID(field, id string) error {
	switch {
	case id == "":
		return invalid(field, "must not be empty")
	case len(id) > maxIDLength:
		return invalid(field, "%d bytes, at most %d allowed", len(id), maxIDLength)
	case strings.TrimSpace(id) != id:
		return invalid(field, "must not start or end with white space")
	}
	return nil
}

func validatePlacement(p Placement) error {
	if p.Site == "" {
		return invalid("placement.site", "must not be empty")
	}
	if p.Zone == "" {
		return invalid("placement.zone", "must not be empty")
	}
	if err := p.Position.Validate(); err != nil {
		return invalid("placement.position", "%v", err)
	}
	if !finite(p.Plan.X) || !finite(p.Plan.Y) {
		return invalid("placement.plan", "coordinates must be finite numbers of metres")
	}
	return nil
}

// validateCalibration accepts RSSI at 1 m between −120 and 0 dBm; real antennas
// measure −40 to −75 dBm from a 0 dBm transmitter.
func validateCalibration(field string, rssi float64) error {
	if !finite(rssi) || rssi >= 0 || rssi < -120 {
		return invalid(field, "%v dBm, want a value in [-120, 0)", rssi)
	}
	return nil
}

func validateCategory(c Category) error {
	if !c.valid() {
		return invalid("category", "%v, want employee, visitor, asset or sensor", c)
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
