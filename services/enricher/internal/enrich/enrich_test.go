package enrich

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bluestream/bluestream/services/enricher/internal/geo"
	"github.com/bluestream/bluestream/services/enricher/internal/identity"
	"github.com/bluestream/bluestream/services/enricher/internal/privacy"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
)

func TestMergesCopiesAndPlacesDevice(t *testing.T) {
	t.Parallel()
	h := newHarness(t, true)
	model := geo.PathLoss{}
	truth := geo.Point{X: 14, Y: 5}
	var readings []Reading
	for i, g := range gateways[:4] {
		d := math.Hypot(truth.X-g.Placement.Plan.X, truth.Y-g.Placement.Plan.Y)
		rssi := int32(math.Round(model.RSSI(d, -59)))
		readings = append(readings, heard(g.GatewayID, ms(10*i), badgeRPA(1), rssi, "adv-1"))
	}
	out := feed(t, h.enr, readings...)
	if len(out) != 1 {
		t.Fatalf("%d enriched readings from 4 copies of one advertisement, want 1", len(out))
	}
	got := out[0]
	if len(got.Receivers) != 4 {
		t.Fatalf("receivers = %+v, want 4", got.Receivers)
	}
	if got.Receivers[0].GatewayID != "gw-se" || got.Geo.Zone != "east" {
		t.Fatalf("strongest = %s in zone %s, want gw-se in east", got.Receivers[0].GatewayID, got.Geo.Zone)
	}
	if got.Geo.Site != "fra-1" || got.Geo.Building != "A" || got.Geo.Floor != 2 {
		t.Fatalf("geo = %+v", got.Geo)
	}
	wantHash, _ := geo.Geohash(gateways[1].Placement.Position, 9)
	if got.Geo.Geohash != wantHash {
		t.Fatalf("geohash %s, want %s", got.Geo.Geohash, wantHash)
	}
	trueDist := math.Hypot(truth.X-20, truth.Y)
	if math.Abs(got.Geo.DistanceMetres-trueDist) > 0.5 {
		t.Fatalf("distance %.2f m, true %.2f m", got.Geo.DistanceMetres, trueDist)
	}
	if got.Geo.Position == nil {
		t.Fatal("no position from 4 gateways")
	}
	errM := math.Hypot(got.Geo.Position.X-truth.X, got.Geo.Position.Y-truth.Y)
	t.Logf("position %.2f,%.2f (truth %.1f,%.1f): %.2f m off, reported error %.2f m", got.Geo.Position.X, got.Geo.Position.Y, truth.X, truth.Y, errM, got.Geo.Position.ErrorMetres)
	if errM > 1 {
		t.Fatalf("position %.2f m from truth with RSSI rounded to 1 dB", errM)
	}
	// office() maps plan metres to degrees; the estimate must land where the plan says.
	wantLL := office("", got.Geo.Position.X, got.Geo.Position.Y).Position
	if ll := got.Geo.Position.WGS84; ll == nil || math.Abs(ll.Lat-wantLL.Lat) > 1e-9 || math.Abs(ll.Lon-wantLL.Lon) > 1e-9 {
		t.Fatalf("WGS84 of estimate = %v, want %v", got.Geo.Position.WGS84, wantLL)
	}
	if wantPosHash, _ := geo.Geohash(wantLL, 9); got.Geo.Position.Geohash != wantPosHash {
		t.Fatalf("estimate geohash %s, want %s", got.Geo.Position.Geohash, wantPosHash)
	}
	if !got.Registered || got.Privacy.Category != privacy.CategoryEmployee || !got.Privacy.WorksCouncilCovered || !got.Privacy.RotatingAddress {
		t.Fatalf("privacy = %+v, registered %v", got.Privacy, got.Registered)
	}
	if got.OwnerPseudonym == "" {
		t.Fatal("covered employee device lacks an owner pseudonym")
	}
}

func TestPositionFromSeparateAdvertisements(t *testing.T) {
	t.Parallel()
	h := newHarness(t, true)
	model := geo.PathLoss{}
	truth := geo.Point{X: 6, Y: 8}
	var out []Enriched
	// Each advertisement reaches one gateway only; the position window combines them.
	for i, g := range gateways[:3] {
		d := math.Hypot(truth.X-g.Placement.Plan.X, truth.Y-g.Placement.Plan.Y)
		out = append(out, feed(t, h.enr, heard(g.GatewayID, ms(1000*i), visitorAddr, int32(math.Round(model.RSSI(d, -59))), string(rune('a'+i))))...)
	}
	if len(out) != 3 {
		t.Fatalf("%d readings, want 3", len(out))
	}
	if out[0].Geo.Position != nil || out[1].Geo.Position != nil {
		t.Fatal("position before three gateways heard the device")
	}
	p := out[2].Geo.Position
	if p == nil || p.Gateways != 3 {
		t.Fatalf("position = %+v, want a 3-gateway fix", p)
	}
	if e := math.Hypot(p.X-truth.X, p.Y-truth.Y); e > 1 {
		t.Fatalf("position %.2f m from truth", e)
	}
	// Beyond the window the old ranges no longer count.
	late := feed(t, h.enr, heard("gw-ne", ms(60_000), visitorAddr, -70, "z"))
	if late[0].Geo.Position != nil {
		t.Fatal("position from ranges older than the window")
	}
}

func TestSamePseudonymAcrossRotationAndReplicas(t *testing.T) {
	t.Parallel()
	h := newHarness(t, true)
	a := feed(t, h.enr, heard("gw-sw", ms(0), badgeRPA(1), -60, "x"))[0]
	b := feed(t, h.enr, heard("gw-sw", ms(15*60_000), badgeRPA(2), -60, "y"))[0]
	replica := feed(t, h.newEnricher(t), heard("gw-nw", ms(3*3600_000), badgeRPA(3), -70, "z"))[0]
	if a.DevicePseudonym != b.DevicePseudonym || a.DevicePseudonym != replica.DevicePseudonym {
		t.Fatalf("badge pseudonyms differ across RPA rotation or replicas: %s %s %s", a.DevicePseudonym, b.DevicePseudonym, replica.DevicePseudonym)
	}
	if a.OwnerPseudonym != b.OwnerPseudonym || a.OwnerPseudonym == a.DevicePseudonym {
		t.Fatalf("owner pseudonyms %s %s (device %s)", a.OwnerPseudonym, b.OwnerPseudonym, a.DevicePseudonym)
	}
	nextDay := feed(t, h.enr, heard("gw-sw", ms(25*3600_000), badgeRPA(4), -60, "w"))[0]
	if nextDay.DevicePseudonym == a.DevicePseudonym || nextDay.KeyPeriod != a.KeyPeriod+1 {
		t.Fatal("pseudonym did not rotate with the key period")
	}
	other := feed(t, h.enr, heard("gw-sw", ms(1), visitorAddr, -60, "v"))[0]
	if other.DevicePseudonym == a.DevicePseudonym {
		t.Fatal("two devices share a pseudonym")
	}
}

func TestErasureUnlinksOnlyThatSubject(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newHarness(t, true)
	before := feed(t, h.enr, heard("gw-sw", ms(0), badgeRPA(1), -60, "x"), heard("gw-sw", ms(1), visitorAddr, -60, "v"))
	badgeBefore, visitorBefore := before[0], before[1]

	events := mustExecute(t, h.reg, registryErasure("dev-badge", h.reg.DeviceVersion("dev-badge")))
	erased, ok := events[0].(registry.DeviceErased)
	if !ok {
		t.Fatalf("erasure produced %T", events[0])
	}
	notice, err := h.enr.Erase(ctx, erased, ms(10))
	if err != nil {
		t.Fatal(err)
	}
	if !contains(notice.Pseudonyms, badgeBefore.DevicePseudonym) || !contains(notice.Pseudonyms, badgeBefore.OwnerPseudonym) {
		t.Fatalf("erasure notice lacks the pseudonyms seen today (%d listed)", len(notice.Pseudonyms))
	}
	if notice.ToPeriod-notice.FromPeriod != 365 {
		t.Fatalf("notice spans periods %d..%d, want the longest retention (365 days)", notice.FromPeriod, notice.ToPeriod)
	}

	// The erased badge is now unknown: same rotating address, unlinkable pseudonym.
	after := feed(t, h.enr, heard("gw-sw", ms(20), badgeRPA(1), -60, "x2"), heard("gw-sw", ms(21), visitorAddr, -60, "v2"))
	if after[0].DevicePseudonym == badgeBefore.DevicePseudonym || after[0].Registered || after[0].OwnerPseudonym != "" {
		t.Fatalf("erased badge still linkable: %+v", after[0])
	}
	if after[1].DevicePseudonym != visitorBefore.DevicePseudonym {
		t.Fatal("erasing the badge changed the visitor's pseudonym")
	}
	// Even if the device were registered again under its old id, its old pseudonym is gone.
	mustExecute(t, h.reg, reRegisterBadge(h.reg.DeviceVersion("dev-badge")))
	again := feed(t, h.enr, heard("gw-sw", ms(30), badgeRPA(1), -60, "x3"))[0]
	if !again.Registered || again.DevicePseudonym == badgeBefore.DevicePseudonym {
		t.Fatalf("re-registered badge maps to its pre-erasure pseudonym")
	}
}

func TestPrivacyTagsAndMinimisation(t *testing.T) {
	t.Parallel()
	h := newHarness(t, false) // no works-council agreement
	model := geo.PathLoss{}
	var readings []Reading
	for i, g := range gateways[:4] {
		d := math.Hypot(10-g.Placement.Plan.X, 6-g.Placement.Plan.Y)
		readings = append(readings, heard(g.GatewayID, ms(i), badgeRPA(9), int32(model.RSSI(d, -59)), "b"))
	}
	badge := feed(t, h.enr, readings...)[0]
	if badge.Privacy.WorksCouncilCovered || badge.Privacy.LegalBasis != privacy.BasisEmployment {
		t.Fatalf("uncovered employee tagged %+v", badge.Privacy)
	}
	if badge.Geo.Position != nil || badge.OwnerPseudonym != "" {
		t.Fatal("uncovered employee device was located or linked to its owner")
	}
	if badge.Geo.Zone == "" || badge.DevicePseudonym == "" {
		t.Fatal("uncovered employee device lost zone or pseudonym needed for aggregates")
	}

	visitor := feed(t, h.enr, heard("gw-sw", ms(100), visitorAddr, -60, "v"))[0]
	if visitor.Privacy.Category != privacy.CategoryVisitor || visitor.Privacy.LegalBasis != privacy.BasisConsent || visitor.Privacy.RetentionDays != 7 || visitor.Privacy.RotatingAddress {
		t.Fatalf("visitor tags %+v", visitor.Privacy)
	}
	forklift := Reading{GatewayID: "gw-se", ReceivedAt: ms(200), Address: unknownPhone, AddressType: identity.AddressRandom, RSSI: -50, IBeacon: &assetBeacon}
	asset := feed(t, h.enr, forklift)[0]
	if asset.Privacy.Category != privacy.CategoryAsset || !asset.Registered || asset.Privacy.RotatingAddress {
		t.Fatalf("asset tags %+v registered %v", asset.Privacy, asset.Registered)
	}
	stranger := feed(t, h.enr, heard("gw-se", ms(300), unknownPhone, -80, "u"))[0]
	if stranger.Registered || stranger.Privacy.Category != privacy.CategoryUnknown || !stranger.Privacy.RotatingAddress || stranger.Privacy.RetentionDays != 1 {
		t.Fatalf("unknown phone tags %+v", stranger.Privacy)
	}
}

func TestSameInputSameOutput(t *testing.T) {
	t.Parallel()
	h := newHarness(t, true)
	readings := scenario(200)
	first := feed(t, h.enr, readings...)
	second := feed(t, h.newEnricher(t), readings...)
	if !reflect.DeepEqual(first, second) {
		t.Fatal("two enrichers disagree on the same input")
	}
	if len(first) == 0 {
		t.Fatal("scenario produced nothing")
	}
}

func TestRejectsBadReadings(t *testing.T) {
	t.Parallel()
	h := newHarness(t, true)
	good := heard("gw-sw", ms(0), visitorAddr, -60, "v")
	tests := []struct {
		name    string
		change  func(*Reading)
		mention string
	}{
		{"unknown_gateway", func(r *Reading) { r.GatewayID = "gw-mars" }, "gw-mars"},
		{"empty_gateway", func(r *Reading) { r.GatewayID = "" }, "gateway_id"},
		{"no_time", func(r *Reading) { r.ReceivedAt = time.Time{} }, "received_at"},
		{"positive_rssi", func(r *Reading) { r.RSSI = 4 }, "rssi"},
		{"no_identity", func(r *Reading) { r.Address = identity.Address{} }, "no address"},
	}
	for _, tt := range tests {
		r := good
		tt.change(&r)
		out, err := h.enr.Add(context.Background(), r)
		if !errors.Is(err, ErrInvalidReading) || !strings.Contains(err.Error(), tt.mention) {
			t.Errorf("%s: error %v, want ErrInvalidReading naming %q", tt.name, err, tt.mention)
		}
		if out != nil {
			t.Errorf("%s: returned output", tt.name)
		}
	}
	if h.enr.Pending() != 0 {
		t.Fatalf("rejected readings left %d open groups", h.enr.Pending())
	}
}

func TestConfigValidation(t *testing.T) {
	t.Parallel()
	pz, _ := privacy.NewPseudonymizer(privacy.NewMemoryKeystore(), privacy.Period{Length: time.Hour})
	reg := newRegistry(t, false)
	for name, cfg := range map[string]Config{
		"merge_window":      {MergeWindow: -time.Second},
		"geohash_precision": {GeohashPrecision: 20},
		"path_loss":         {PathLoss: geo.PathLoss{Exponent: -2}},
	} {
		if _, err := New(cfg, reg, pz); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %v", name, err)
		}
	}
}

func registryErasure(deviceID string, version uint64) registry.RequestErasure {
	return registry.RequestErasure{DeviceID: deviceID, ExpectedVersion: version}
}

func reRegisterBadge(version uint64) registry.RegisterDevice {
	return registry.RegisterDevice{DeviceID: "dev-badge", Tenant: "acme", IRKs: []identity.IRK{badgeIRK},
		Category: registry.CategoryEmployee, OwnerRef: employeeRef, ExpectedVersion: version}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestAdvanceEmitsWithoutNewReadings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newHarness(t, true)
	if _, err := h.enr.Add(ctx, heard("gw-sw", ms(0), visitorAddr, -60, "v")); err != nil {
		t.Fatal(err)
	}
	if out, _ := h.enr.Advance(ctx, ms(100)); len(out) != 0 {
		t.Fatal("emitted before the merge window closed")
	}
	out, err := h.enr.Advance(ctx, ms(1000))
	if err != nil || len(out) != 1 || h.enr.Pending() != 0 {
		t.Fatalf("Advance past the window: %d readings, %v, %d pending", len(out), err, h.enr.Pending())
	}
}

func TestTenantsNeverMerge(t *testing.T) {
	t.Parallel()
	h := newHarness(t, true)
	mustExecute(t, h.reg, registry.RegisterGateway{GatewayID: "gw-globex", Tenant: "globex", Placement: office("neighbour", 1, 1), RSSIAt1m: -59})
	out := feed(t, h.enr,
		heard("gw-sw", ms(0), unknownPhone, -60, "same-adv"),
		heard("gw-globex", ms(5), unknownPhone, -50, "same-adv"),
	)
	if len(out) != 2 {
		t.Fatalf("%d outputs, want one per tenant", len(out))
	}
	for _, en := range out {
		if len(en.Receivers) != 1 {
			t.Fatalf("tenant %s got receivers %+v", en.Tenant, en.Receivers)
		}
	}
	if out[0].Tenant == out[1].Tenant || out[0].DevicePseudonym == out[1].DevicePseudonym {
		t.Fatal("tenants share an event or a pseudonym")
	}
}

func TestGatewayRetiredInsideWindow(t *testing.T) {
	t.Parallel()
	h := newHarness(t, true)
	ctx := context.Background()
	if _, err := h.enr.Add(ctx, heard("gw-se", ms(0), unknownPhone, -50, "a")); err != nil {
		t.Fatal(err)
	}
	if _, err := h.enr.Add(ctx, heard("gw-sw", ms(10), unknownPhone, -70, "a")); err != nil {
		t.Fatal(err)
	}
	mustExecute(t, h.reg, registry.RetireGateway{GatewayID: "gw-se", ExpectedVersion: 1})
	out, err := h.enr.Flush(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0].Geo.Zone != "west" || len(out[0].Receivers) != 1 || out[0].Receivers[0].GatewayID != "gw-sw" {
		t.Fatalf("after retiring the strongest gateway: %+v", out)
	}

	// With every receiver gone the observation cannot be placed and says so.
	if _, err := h.enr.Add(ctx, heard("gw-sw", ms(20), unknownPhone, -70, "b")); err != nil {
		t.Fatal(err)
	}
	mustExecute(t, h.reg, registry.RetireGateway{GatewayID: "gw-sw", ExpectedVersion: 1})
	if _, err := h.enr.Flush(ctx); !errors.Is(err, registry.ErrNotFound) {
		t.Fatalf("flush with no registered receiver: %v", err)
	}
}

func TestErasureWithPseudonymCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newHarness(t, true)
	enr := h.newEnricher(t, privacy.WithCache(1024))
	before := feed(t, enr, heard("gw-sw", ms(0), badgeRPA(1), -60, "x"))[0]
	events := mustExecute(t, h.reg, registryErasure("dev-badge", h.reg.DeviceVersion("dev-badge")))
	if _, err := enr.Erase(ctx, events[0].(registry.DeviceErased), ms(5)); err != nil {
		t.Fatal(err)
	}
	mustExecute(t, h.reg, reRegisterBadge(h.reg.DeviceVersion("dev-badge")))
	after := feed(t, enr, heard("gw-sw", ms(10), badgeRPA(1), -60, "y"))[0]
	if !after.Registered || after.DevicePseudonym == before.DevicePseudonym || after.OwnerPseudonym == before.OwnerPseudonym {
		t.Fatal("cached pseudonyms survived erasure")
	}
}
