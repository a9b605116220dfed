package enrich

import "testing"

// A sniffer capture or a controller without RSSI still places the device: the
// copy without RSSI counts as heard, never as the strongest over a measured
// one, and gives no distance.
func TestCopiesWithoutRSSIPlaceButDoNotRange(t *testing.T) {
	t.Parallel()
	h := newHarness(t, true)
	blind := heard(gateways[0].GatewayID, ms(0), badgeRPA(1), 0, "adv-1")
	blind.RSSIUnavailable = true
	measured := heard(gateways[1].GatewayID, ms(5), badgeRPA(1), -80, "adv-1")
	out := feed(t, h.enr, blind, measured)
	if len(out) != 1 || len(out[0].Receivers) != 2 {
		t.Fatalf("got %+v, want one reading heard by two gateways", out)
	}
	got := out[0]
	if got.Receivers[0].GatewayID != gateways[1].GatewayID || got.Geo.Zone != gateways[1].Placement.Zone {
		t.Errorf("strongest %s in zone %s, want the measured copy's %s", got.Receivers[0].GatewayID, got.Geo.Zone, gateways[1].GatewayID)
	}
	if rx := got.Receivers[1]; !rx.RSSIUnavailable || rx.RSSI != 0 || rx.DistanceMetres != 0 {
		t.Errorf("copy without RSSI reported as %+v, want no RSSI and no distance", rx)
	}

	alone := heard(gateways[2].GatewayID, ms(1000), badgeRPA(2), 0, "adv-2")
	alone.RSSIUnavailable = true
	out = feed(t, h.enr, alone)
	if len(out) != 1 || out[0].Geo.Zone != gateways[2].Placement.Zone || out[0].Geo.DistanceMetres != 0 {
		t.Fatalf("a lone copy without RSSI gave %+v, want its gateway's zone and no distance", out)
	}
}
