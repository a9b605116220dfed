package mapper_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"

	registryv1 "github.com/bluestream/bluestream/gen/bluestream/registry/v1"
	"github.com/bluestream/bluestream/services/enricher/internal/geo"
	"github.com/bluestream/bluestream/services/enricher/internal/identity"
	"github.com/bluestream/bluestream/services/enricher/internal/mapper"
	"github.com/bluestream/bluestream/services/enricher/internal/privacy"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func newEvents(t *testing.T) (mapper.Events, *privacy.MemoryKeystore) {
	t.Helper()
	keys := privacy.NewMemoryKeystore()
	s, err := privacy.NewSealer(keys)
	if err != nil {
		t.Fatal(err)
	}
	return mapper.Events{Sealer: s}, keys
}

func TestRegistryEventsRoundTripAndSealPersonalData(t *testing.T) {
	t.Parallel()
	m, keys := newEvents(t)
	addr := identity.Address{0xc0, 0x11, 0x22, 0x33, 0x44, 0x55}
	irk := identity.IRK{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	meta := func(id string, v uint64) registry.Meta {
		return registry.Meta{AggregateID: id, Version: v, OccurredAt: t0}
	}
	events := []registry.Event{
		registry.GatewayRegistered{Meta: meta("gw-1", 1), Tenant: "acme", RSSIAt1m: -59, Placement: registry.Placement{
			Site: "fra-1", Building: "A", Floor: -1, Zone: "lobby", Position: geo.LatLon{Lat: 50.1, Lon: 8.6}, Plan: geo.Point{X: 3, Y: 4}}},
		registry.GatewayRetired{Meta: meta("gw-1", 2)},
		registry.DeviceRegistered{Meta: meta("dev-1", 1), Tenant: "acme", SubjectID: "subj_a", Category: registry.CategoryEmployee,
			Identity: registry.Identity{Address: &addr, AddressType: identity.AddressRandom}, IRKs: []identity.IRK{irk}, OwnerRef: "E-1001"},
		registry.DeviceAssigned{Meta: meta("dev-1", 2), Tenant: "acme", SubjectID: "subj_b", Category: registry.CategoryVisitor,
			OwnerRef: "V-0042", Consent: true, Rekeyed: true, Identity: registry.Identity{Address: &addr, AddressType: identity.AddressRandom}, IRKs: []identity.IRK{irk}},
		registry.AgreementRecorded{Meta: meta("BV-7", 1), Tenant: "acme", Site: "fra-1", ValidFrom: t0, ValidTo: t0.Add(time.Hour)},
		registry.DeviceErased{Meta: meta("dev-1", 3), Tenant: "acme", SubjectID: "subj_b", RequestID: "req-1"},
	}
	for _, e := range events {
		pb, err := m.ToProto(t.Context(), e)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := proto.Marshal(pb)
		for _, secret := range [][]byte{addr[:], irk[:], []byte("E-1001"), []byte("V-0042")} {
			if strings.Contains(string(raw), string(secret)) {
				t.Errorf("%T: encoded event contains personal data %x", e, secret)
			}
		}
		back, err := m.FromProto(t.Context(), pb)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(e, back); diff != "" {
			t.Errorf("%T round trip (-want +got):\n%s", e, diff)
		}
	}

	// After the subject key is destroyed the registration replays without its
	// personal data, and without an error: the log must stay replayable.
	pb, _ := m.ToProto(t.Context(), events[2])
	if err := keys.DestroySubjectKey(t.Context(), "acme", "subj_a"); err != nil {
		t.Fatal(err)
	}
	back, err := m.FromProto(t.Context(), pb)
	if err != nil {
		t.Fatal(err)
	}
	if d := back.(registry.DeviceRegistered); d.OwnerRef != "" || d.Identity.Address != nil || len(d.IRKs) != 0 {
		t.Errorf("shredded registration still opens: %+v", d)
	}
}

func TestBadEventsNameTheField(t *testing.T) {
	t.Parallel()
	m, _ := newEvents(t)
	tests := []struct {
		name  string
		in    *registryv1.RegistryEvent
		field string
	}{
		{"no_aggregate", &registryv1.RegistryEvent{Version: 1}, "aggregate_id"},
		{"no_version", &registryv1.RegistryEvent{AggregateId: "gw-1"}, "version"},
		{"floor_not_a_number", &registryv1.RegistryEvent{AggregateId: "gw-1", Version: 1, Event: &registryv1.RegistryEvent_GatewayRegistered{
			GatewayRegistered: &registryv1.GatewayRegistered{Placement: &registryv1.GatewayPlacement{Floor: "first"}}}}, "gateway_registered.placement.floor"},
		{"clear_personal_data", &registryv1.RegistryEvent{AggregateId: "d", Version: 1, Event: &registryv1.RegistryEvent_DeviceRegistered{
			DeviceRegistered: &registryv1.DeviceRegistered{}}}, "in clear"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := m.FromProto(t.Context(), tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.field) {
				t.Fatalf("got %v, want an error naming %s", err, tt.field)
			}
		})
	}
}
