package enrich

import (
	"time"

	"github.com/bluestream/bluestream/services/enricher/internal/geo"
	"github.com/bluestream/bluestream/services/enricher/internal/privacy"
)

// Enriched is the domain form of a ReadingEnriched event on ble.enriched.v1. It holds
// no device address, beacon identity or owner reference: only pseudonyms.
type Enriched struct {
	Tenant     string
	ObservedAt time.Time // receive time of the first copy
	// DevicePseudonym stands for the device (or, for unregistered devices, for the
	// address or beacon identity it showed) within KeyPeriod.
	DevicePseudonym string
	// OwnerPseudonym stands for the owner; empty when the device has none or when an
	// employee device is not covered by a works-council agreement.
	OwnerPseudonym string
	KeyPeriod      int64
	Registered     bool
	Geo            Geo
	Receivers      []Receiver
	Measurements   []Measurement
	Privacy        privacy.Tags
}

// Geo places the reading.
type Geo struct {
	Site     string
	Building string
	Floor    int32
	Zone     string // the strongest receiver's zone
	Geohash  string // of the strongest receiver's position
	// DistanceMetres is the estimated distance to the strongest receiver.
	DistanceMetres float64
	// Position is the trilaterated floor-plan position, when enough gateways on the
	// same floor heard the device within the position window.
	Position *Position
}

// Position is a trilaterated floor-plan position.
type Position struct {
	X, Y        float64 // metres on the floor plan
	ErrorMetres float64 // distance RMS of the estimate
	Gateways    int
	// WGS84 and Geohash place the estimate on the globe, mapped through the ranging
	// gateways' two coordinates; nil and empty when their positions cannot span a plane.
	WGS84   *geo.LatLon
	Geohash string
}

// Receiver is one gateway that heard the advertisement.
type Receiver struct {
	GatewayID      string
	RSSI           int32
	DistanceMetres float64
	ReceivedAt     time.Time
	// RSSIUnavailable says the gateway measured no RSSI: no RSSI, no distance.
	RSSIUnavailable bool
}
