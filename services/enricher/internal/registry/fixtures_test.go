package registry

import (
	"time"

	"github.com/bluestream/bluestream/services/enricher/internal/geo"
	"github.com/bluestream/bluestream/services/enricher/internal/identity"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// stepClock advances one second per call so every event has its own time.
func stepClock() func() time.Time {
	n := 0
	return func() time.Time {
		n++
		return t0.Add(time.Duration(n) * time.Second)
	}
}

func placement(zone string, x, y float64) Placement {
	return Placement{
		Site: "fra-1", Building: "A", Floor: 2, Zone: zone,
		Position: geo.LatLon{Lat: 50.1109, Lon: 8.6821},
		Plan:     geo.Point{X: x, Y: y},
	}
}

func addr(s string) *identity.Address {
	a, err := identity.ParseAddress(s)
	if err != nil {
		panic(err)
	}
	return &a
}

var badgeIRK = identity.IRK{0xec, 0x02, 0x34, 0xa3, 0x57, 0xc8, 0xad, 0x05, 0x34, 0x10, 0x10, 0xa6, 0x0a, 0x39, 0x7d, 0x9b}

var beacon = identity.IBeaconID{UUID: [16]byte{0xf7, 0x82, 0x6d, 0xa6}, Major: 1, Minor: 42}

var eddystone = identity.EddystoneUID{Namespace: [10]byte{0xed, 0xd1}, Instance: [6]byte{0, 0, 0, 0, 0, 7}}

// history is a realistic sequence of commands touching every command type.
func history() []Command {
	return []Command{
		RegisterGateway{GatewayID: "gw-1", Tenant: "acme", Placement: placement("lobby", 0, 0), RSSIAt1m: -59},
		RegisterGateway{GatewayID: "gw-2", Tenant: "acme", Placement: placement("lobby", 20, 0), RSSIAt1m: -61},
		RegisterGateway{GatewayID: "gw-3", Tenant: "acme", Placement: placement("lab", 20, 12), RSSIAt1m: -60},
		MoveGateway{GatewayID: "gw-2", Placement: placement("kitchen", 20, 1), ExpectedVersion: 1},
		RetireGateway{GatewayID: "gw-3", ExpectedVersion: 1},
		RegisterDevice{DeviceID: "dev-phone", Tenant: "acme", Identity: Identity{Address: addr("C0:11:22:33:44:55"), AddressType: identity.AddressRandom},
			Category: CategoryVisitor, Consent: true},
		RegisterDevice{DeviceID: "dev-badge", Tenant: "acme", IRKs: []identity.IRK{badgeIRK}, Category: CategoryEmployee, OwnerRef: "E-1001"},
		RegisterDevice{DeviceID: "dev-tag", Tenant: "acme", Identity: Identity{IBeacon: &beacon}, Category: CategoryAsset},
		RegisterDevice{DeviceID: "dev-sensor", Tenant: "acme", Identity: Identity{Eddystone: &eddystone}, Category: CategorySensor},
		AssignDevice{DeviceID: "dev-tag", Category: CategoryEmployee, OwnerRef: "E-1001", ExpectedVersion: 1},
		RecordAgreement{AgreementID: "BV-7", Tenant: "acme", Site: "fra-1", ValidFrom: t0, ValidTo: t0.Add(365 * 24 * time.Hour)},
		RecordAgreement{AgreementID: "BV-all", Tenant: "acme", ValidFrom: t0.Add(time.Hour)},
		RequestErasure{Tenant: "acme", OwnerRef: "E-1001"},
		RequestErasure{DeviceID: "dev-phone", ExpectedVersion: 1},
		RegisterDevice{DeviceID: "dev-phone", Tenant: "acme", Identity: Identity{Address: addr("C0:11:22:33:44:66"), AddressType: identity.AddressRandom},
			Category: CategoryVisitor, ExpectedVersion: 2},
	}
}
