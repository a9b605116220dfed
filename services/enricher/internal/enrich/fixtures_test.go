package enrich

import (
	"context"
	"testing"
	"time"

	"github.com/bluestream/bluestream/services/enricher/internal/geo"
	"github.com/bluestream/bluestream/services/enricher/internal/identity"
	"github.com/bluestream/bluestream/services/enricher/internal/privacy"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func ms(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }

const (
	employeeRef = "HR-4711-MUELLER"
	visitorID   = "dev-visitor-phone"
)

var (
	badgeIRK     = identity.IRK{0xec, 0x02, 0x34, 0xa3, 0x57, 0xc8, 0xad, 0x05, 0x34, 0x10, 0x10, 0xa6, 0x0a, 0x39, 0x7d, 0x9b}
	visitorAddr  = identity.Address{0xC4, 0x7A, 0x91, 0x3E, 0x55, 0x0B}
	assetBeacon  = identity.IBeaconID{UUID: [16]byte{0xf7, 0x82, 0x6d, 0xa6, 0x4f, 0xa2, 0x4e, 0x98, 0x80, 0x24, 0xbc, 0x5b, 0x71, 0xe0, 0x89, 0x3e}, Major: 7, Minor: 99}
	unknownPhone = identity.Address{0x5A, 0x10, 0x20, 0x30, 0x40, 0x50} // RPA of nobody
)

// gateways: four in the corners of a 20 m × 12 m open-plan office on floor 2, one
// upstairs; zones split the office in two halves.
var gateways = []registry.RegisterGateway{
	{GatewayID: "gw-sw", Placement: office("west", 0, 0)},
	{GatewayID: "gw-se", Placement: office("east", 20, 0)},
	{GatewayID: "gw-ne", Placement: office("east", 20, 12)},
	{GatewayID: "gw-nw", Placement: office("west", 0, 12)},
	{GatewayID: "gw-up", Placement: registry.Placement{Site: "fra-1", Building: "A", Floor: 3, Zone: "roof", Position: geo.LatLon{Lat: 50.1109, Lon: 8.6821}}},
}

func office(zone string, x, y float64) registry.Placement {
	return registry.Placement{
		Site: "fra-1", Building: "A", Floor: 2, Zone: zone,
		Position: geo.LatLon{Lat: 50.1109 + y/111_000, Lon: 8.6821 + x/71_000},
		Plan:     geo.Point{X: x, Y: y},
	}
}

func newRegistry(t testing.TB, withAgreement bool) *registry.Registry {
	t.Helper()
	r := registry.New(func() time.Time { return t0.Add(-time.Hour) })
	for _, g := range gateways {
		g.Tenant, g.RSSIAt1m = "acme", -59
		mustExecute(t, r, g)
	}
	mustExecute(t, r, registry.RegisterDevice{DeviceID: "dev-badge", Tenant: "acme", IRKs: []identity.IRK{badgeIRK},
		Category: registry.CategoryEmployee, OwnerRef: employeeRef})
	mustExecute(t, r, registry.RegisterDevice{DeviceID: visitorID, Tenant: "acme",
		Identity: registry.Identity{Address: &visitorAddr, AddressType: identity.AddressRandom}, Category: registry.CategoryVisitor, Consent: true})
	mustExecute(t, r, registry.RegisterDevice{DeviceID: "dev-forklift", Tenant: "acme",
		Identity: registry.Identity{IBeacon: &assetBeacon}, Category: registry.CategoryAsset, OwnerRef: "FLEET-12"})
	if withAgreement {
		mustExecute(t, r, registry.RecordAgreement{AgreementID: "BV-2026-07", Tenant: "acme", Site: "fra-1", ValidFrom: t0.Add(-24 * time.Hour)})
	}
	return r
}

func mustExecute(t testing.TB, r *registry.Registry, c registry.Command) []registry.Event {
	t.Helper()
	ev, err := r.Execute(c)
	if err != nil {
		t.Fatalf("%T: %v", c, err)
	}
	return ev
}

type harness struct {
	reg  *registry.Registry
	keys *privacy.MemoryKeystore
	enr  *Enricher
}

func newHarness(t testing.TB, withAgreement bool) *harness {
	t.Helper()
	h := &harness{reg: newRegistry(t, withAgreement), keys: privacy.NewMemoryKeystore()}
	h.enr = h.newEnricher(t)
	return h
}

// newEnricher shares the harness's registry and keystore, as a second replica would.
func (h *harness) newEnricher(t testing.TB, opts ...privacy.Option) *Enricher {
	t.Helper()
	pz, err := privacy.NewPseudonymizer(h.keys, privacy.Period{Length: 24 * time.Hour}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(Config{}, h.reg, pz)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// feed adds readings and flushes, returning every enriched reading.
func feed(t testing.TB, e *Enricher, readings ...Reading) []Enriched {
	t.Helper()
	ctx := context.Background()
	var out []Enriched
	for _, r := range readings {
		got, err := e.Add(ctx, r)
		if err != nil {
			t.Fatalf("Add(%s at %v): %v", r.GatewayID, r.ReceivedAt, err)
		}
		out = append(out, got...)
	}
	rest, err := e.Flush(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return append(out, rest...)
}

// heard builds the reading gateway gw makes of an advertisement from addr.
func heard(gw string, at time.Time, addr identity.Address, rssi int32, payload string) Reading {
	return Reading{GatewayID: gw, ReceivedAt: at, Address: addr, AddressType: identity.AddressRandom, RSSI: rssi, Payload: []byte(payload)}
}

func badgeRPA(n byte) identity.Address {
	return identity.NewResolvablePrivateAddress(badgeIRK, [3]byte{n, n * 3, n * 7})
}
