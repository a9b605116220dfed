package registry

import (
	"fmt"
	"slices"
	"time"

	"github.com/bluestream/bluestream/services/enricher/internal/geo"
	"github.com/bluestream/bluestream/services/enricher/internal/identity"
)

// Placement is where a gateway hangs: the organisational place and two coordinates,
// WGS84 for maps and floor-plan metres for trilateration.
type Placement struct {
	Site     string
	Building string
	Floor    int32 // negative below ground
	Zone     string
	Position geo.LatLon
	Plan     geo.Point
}

// Gateway is a BLE receiver in the projection.
type Gateway struct {
	ID        string
	Tenant    string
	Placement Placement
	// RSSIAt1m is the RSSI this gateway measures from a 0 dBm transmitter one metre
	// away: its antenna calibration for distance estimates.
	RSSIAt1m float64
	Version  uint64
}

// Category says what a device is attached to.
type Category int

// Device categories. Sensors are fixed measuring devices; assets are tracked things.
const (
	CategoryUnspecified Category = iota
	CategoryEmployee
	CategoryVisitor
	CategoryAsset
	CategorySensor
)

// String names the category in the snake_case the contracts use.
func (c Category) String() string {
	switch c {
	case CategoryUnspecified:
		return "unspecified"
	case CategoryEmployee:
		return "employee"
	case CategoryVisitor:
		return "visitor"
	case CategoryAsset:
		return "asset"
	case CategorySensor:
		return "sensor"
	default:
		return fmt.Sprintf("Category(%d)", int(c))
	}
}

func (c Category) valid() bool { return c >= CategoryEmployee && c <= CategorySensor }

// Identity is how a device shows itself on air; at least one part is set.
type Identity struct {
	Address     *identity.Address
	AddressType identity.AddressType
	IBeacon     *identity.IBeaconID
	Eddystone   *identity.EddystoneUID
}

// Device is a registered BLE device in the projection.
type Device struct {
	ID       string
	Tenant   string
	Identity Identity
	IRKs     []identity.IRK
	Category Category
	// OwnerRef points at the person or thing the device belongs to (an HR number, an
	// asset tag). It is personal data and never leaves the enricher in clear.
	OwnerRef string
	// SubjectID is a random name for the data subject whose key protects this
	// device's pseudonyms: shared by all devices of one owner, so erasing a person
	// shreds all their devices' pseudonyms, and meaningless on its own, so events and
	// keystores that carry it reveal nobody.
	SubjectID string
	Consent   bool
	Version   uint64
}

// clone copies everything a caller could reach through pointers or slices, so
// nothing outside the registry can change the projection behind its lock.
func (d Device) clone() Device {
	d.IRKs = slices.Clone(d.IRKs)
	d.Identity = d.Identity.clone()
	return d
}

func (id Identity) clone() Identity {
	id.Address = clonePtr(id.Address)
	id.IBeacon = clonePtr(id.IBeacon)
	id.Eddystone = clonePtr(id.Eddystone)
	return id
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// Agreement is a works-council agreement (Betriebsvereinbarung, BetrVG §87(1) no. 6)
// that allows monitoring employees' devices at a site, or tenant-wide if Site is empty.
type Agreement struct {
	ID        string
	Tenant    string
	Site      string
	ValidFrom time.Time
	ValidTo   time.Time // zero: open-ended
	Version   uint64
}

// InForce reports whether the agreement covers site at time t; ValidTo is exclusive.
func (a Agreement) InForce(site string, t time.Time) bool {
	if a.Site != "" && a.Site != site {
		return false
	}
	if t.Before(a.ValidFrom) {
		return false
	}
	return a.ValidTo.IsZero() || t.Before(a.ValidTo)
}
