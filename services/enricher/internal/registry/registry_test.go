package registry

import (
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bluestream/bluestream/services/enricher/internal/geo"
	"github.com/bluestream/bluestream/services/enricher/internal/identity"
)

func executeAll(t *testing.T, r *Registry, cmds []Command) []Event {
	t.Helper()
	var log []Event
	for i, c := range cmds {
		events, err := r.Execute(c)
		if err != nil {
			t.Fatalf("command %d (%T): %v", i, c, err)
		}
		log = append(log, events...)
	}
	return log
}

func TestReplayGivesLiveProjection(t *testing.T) {
	t.Parallel()
	live := New(stepClock())
	log := executeAll(t, live, history())

	replayed := New(func() time.Time { t.Fatal("replay must not read the clock"); return time.Time{} })
	if err := replayed.Replay(log); err != nil {
		t.Fatal(err)
	}
	want, got := live.Snapshot(), replayed.Snapshot()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("replayed projection differs:\n got %+v\nwant %+v", got, want)
	}
	if len(want.Gateways) != 2 || len(want.Devices) != 2 || len(want.Agreements) != 2 {
		t.Fatalf("unexpected projection size: %d gateways, %d devices, %d agreements",
			len(want.Gateways), len(want.Devices), len(want.Agreements))
	}

	// Redelivering the whole log (at-least-once consumers) changes nothing.
	if err := replayed.Replay(log); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(replayed.Snapshot(), want) {
		t.Fatal("redelivered events changed the projection")
	}
}

func TestReplayedRegistryAnswersQueriesLikeLive(t *testing.T) {
	t.Parallel()
	live := New(stepClock())
	log := executeAll(t, live, history()[:9])
	replayed := New(stepClock())
	if err := replayed.Replay(log); err != nil {
		t.Fatal(err)
	}
	rpa := identity.NewResolvablePrivateAddress(badgeIRK, [3]byte{1, 2, 3})
	for _, r := range []*Registry{live, replayed} {
		d, err := r.DeviceByAddress("acme", rpa, identity.AddressRandom)
		if err != nil || d.ID != "dev-badge" {
			t.Fatalf("RPA lookup = %v, %v", d.ID, err)
		}
	}
}

func TestReplayRejectsGap(t *testing.T) {
	t.Parallel()
	log := executeAll(t, New(stepClock()), history()[:4])
	// Drop gw-2's registration: its move (version 2) now follows nothing.
	gapped := append([]Event{}, log[0])
	gapped = append(gapped, log[2:]...)
	err := New(stepClock()).Replay(gapped)
	if !errors.Is(err, ErrVersionConflict) {
		t.Fatalf("replay with a gap: %v, want ErrVersionConflict", err)
	}
}

func TestRejectedCommandsChangeNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cmd     Command
		want    error
		mention string
	}{
		{"stale_move", MoveGateway{GatewayID: "gw-1", Placement: placement("x", 1, 1), ExpectedVersion: 0}, ErrVersionConflict, "expected version 0"},
		{"future_version", AssignDevice{DeviceID: "dev-phone", Category: CategoryVisitor, ExpectedVersion: 9}, ErrVersionConflict, "current version is 1"},
		{"duplicate_gateway", RegisterGateway{GatewayID: "gw-1", Tenant: "acme", Placement: placement("x", 1, 1), RSSIAt1m: -59}, ErrAlreadyExists, "gw-1"},
		{"reregister_retired_gateway", RegisterGateway{GatewayID: "gw-3", Tenant: "acme", Placement: placement("x", 1, 1), RSSIAt1m: -59, ExpectedVersion: 2}, ErrAlreadyExists, "gw-3"},
		{"duplicate_device", RegisterDevice{DeviceID: "dev-phone", Tenant: "acme", IRKs: []identity.IRK{{1}}, Category: CategoryVisitor}, ErrAlreadyExists, "dev-phone"},
		{"address_in_use", RegisterDevice{DeviceID: "dev-x", Tenant: "acme", Identity: Identity{Address: addr("C0:11:22:33:44:55"), AddressType: identity.AddressRandom}, Category: CategoryVisitor}, ErrAlreadyExists, "identity.address"},
		{"irk_in_use", RegisterDevice{DeviceID: "dev-x", Tenant: "acme", IRKs: []identity.IRK{badgeIRK}, Category: CategoryEmployee}, ErrAlreadyExists, "irks"},
		{"ibeacon_in_use", RegisterDevice{DeviceID: "dev-x", Tenant: "acme", Identity: Identity{IBeacon: &beacon}, Category: CategoryAsset}, ErrAlreadyExists, "identity.ibeacon"},
		{"unknown_gateway", MoveGateway{GatewayID: "gw-9", Placement: placement("x", 1, 1)}, ErrNotFound, "gw-9"},
		{"retired_gateway", RetireGateway{GatewayID: "gw-3", ExpectedVersion: 2}, ErrNotFound, "retired"},
		{"unknown_device", AssignDevice{DeviceID: "dev-9", Category: CategoryVisitor}, ErrNotFound, "dev-9"},
		{"erase_unknown_device", RequestErasure{DeviceID: "dev-9"}, ErrNotFound, "dev-9"},
		{"no_identity", RegisterDevice{DeviceID: "dev-x", Tenant: "acme", Category: CategoryVisitor}, ErrInvalid, "identity"},
		{"zero_address", RegisterDevice{DeviceID: "dev-x", Tenant: "acme", Identity: Identity{Address: addr("00:00:00:00:00:00")}, Category: CategoryVisitor}, ErrInvalid, "identity.address"},
		{"no_category", RegisterDevice{DeviceID: "dev-x", Tenant: "acme", IRKs: []identity.IRK{{2}}}, ErrInvalid, "category"},
		{"empty_gateway_id", RegisterGateway{Tenant: "acme", Placement: placement("x", 1, 1), RSSIAt1m: -59}, ErrInvalid, "gateway_id"},
		{"no_site", RegisterGateway{GatewayID: "gw-x", Tenant: "acme", Placement: Placement{Zone: "z"}, RSSIAt1m: -59}, ErrInvalid, "placement.site"},
		{"bad_latitude", RegisterGateway{GatewayID: "gw-x", Tenant: "acme", Placement: Placement{Site: "s", Zone: "z", Position: geo.LatLon{Lat: 95}}, RSSIAt1m: -59}, ErrInvalid, "latitude"},
		{"positive_calibration", RegisterGateway{GatewayID: "gw-x", Tenant: "acme", Placement: placement("x", 1, 1), RSSIAt1m: 3}, ErrInvalid, "rssi_at_1m"},
		{"agreement_backwards", RecordAgreement{AgreementID: "BV-x", Tenant: "acme", ValidFrom: t0, ValidTo: t0.Add(-time.Hour)}, ErrInvalid, "valid_to"},
		{"erasure_without_target", RequestErasure{Tenant: "acme"}, ErrInvalid, "device_id"},
		{"erasure_both_targets", RequestErasure{Tenant: "acme", DeviceID: "dev-phone", OwnerRef: "E-1"}, ErrInvalid, "device_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := New(stepClock())
			executeAll(t, r, history()[:9])
			before := r.Snapshot()
			events, err := r.Execute(tt.cmd)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Fatalf("error %q does not mention %q", err, tt.mention)
			}
			if events != nil {
				t.Fatalf("rejected command returned events %+v", events)
			}
			if !reflect.DeepEqual(r.Snapshot(), before) {
				t.Fatal("rejected command changed the projection")
			}
			if _, err := r.Decide(tt.cmd); !errors.Is(err, tt.want) {
				t.Fatalf("Decide disagrees with Execute: %v", err)
			}
		})
	}
}

func TestInvalidErrorNamesField(t *testing.T) {
	t.Parallel()
	_, err := New(stepClock()).Execute(RegisterGateway{GatewayID: "gw", Tenant: "acme", Placement: Placement{Site: "s"}, RSSIAt1m: -59})
	var ie *InvalidError
	if !errors.As(err, &ie) || ie.Field != "placement.zone" {
		t.Fatalf("error = %v, want InvalidError on placement.zone", err)
	}
}

func TestDecideDoesNotApply(t *testing.T) {
	t.Parallel()
	r := New(stepClock())
	events, err := r.Decide(RegisterGateway{GatewayID: "gw-1", Tenant: "acme", Placement: placement("lobby", 0, 0), RSSIAt1m: -59})
	if err != nil || len(events) != 1 {
		t.Fatalf("Decide = %v, %v", events, err)
	}
	if _, err := r.Gateway("gw-1"); !errors.Is(err, ErrNotFound) {
		t.Fatal("Decide applied its event")
	}
	if err := r.Apply(events[0]); err != nil {
		t.Fatal(err)
	}
	g, err := r.Gateway("gw-1")
	if err != nil || g.Version != 1 || g.Placement.Zone != "lobby" {
		t.Fatalf("after Apply: %+v, %v", g, err)
	}
}

func TestEventsCarryAggregateAndVersion(t *testing.T) {
	t.Parallel()
	log := executeAll(t, New(stepClock()), history())
	last := map[string]uint64{}
	for i, e := range log {
		m := e.EventMeta()
		if m.AggregateID == "" || m.OccurredAt.IsZero() {
			t.Fatalf("event %d (%T) lacks metadata: %+v", i, e, m)
		}
		if m.Version != last[m.AggregateID]+1 {
			t.Fatalf("event %d (%T) on %s has version %d after %d", i, e, m.AggregateID, m.Version, last[m.AggregateID])
		}
		last[m.AggregateID] = m.Version
	}
	erased := 0
	for _, e := range log {
		if de, ok := e.(DeviceErased); ok {
			erased++
			if de.SubjectID == "" || de.Tenant != "acme" {
				t.Fatalf("erasure event %+v lacks subject or tenant", de)
			}
		}
	}
	if erased != 3 {
		t.Fatalf("%d erasure events, want 3 (two devices of E-1001, one phone)", erased)
	}
}

func TestConcurrentCommandsOneWins(t *testing.T) {
	t.Parallel()
	r := New(stepClock())
	executeAll(t, r, history()[:1])
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = r.Execute(MoveGateway{GatewayID: "gw-1", Placement: placement("z", float64(i), 0), ExpectedVersion: 1})
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, ErrVersionConflict):
			t.Fatalf("unexpected error %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d concurrent moves at version 1 succeeded, want exactly 1", ok)
	}
	if g, _ := r.Gateway("gw-1"); g.Version != 2 {
		t.Fatalf("gateway version %d, want 2", g.Version)
	}
}
