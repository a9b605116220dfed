package registry

import (
	"errors"
	"testing"
	"time"

	"github.com/bluestream/bluestream/services/enricher/internal/identity"
)

func TestDeviceLookups(t *testing.T) {
	t.Parallel()
	r := New(stepClock())
	executeAll(t, r, history()[:9])

	phone, err := r.DeviceByAddress("acme", *addr("C0:11:22:33:44:55"), identity.AddressRandom)
	if err != nil || phone.ID != "dev-phone" {
		t.Fatalf("by address: %+v, %v", phone, err)
	}
	if _, err := r.DeviceByAddress("acme", *addr("C0:11:22:33:44:55"), identity.AddressPublic); !errors.Is(err, ErrNotFound) {
		t.Fatal("address matched with the wrong address type")
	}
	if _, err := r.DeviceByAddress("globex", *addr("C0:11:22:33:44:55"), identity.AddressRandom); !errors.Is(err, ErrNotFound) {
		t.Fatal("address matched in another tenant")
	}
	rpa := identity.NewResolvablePrivateAddress(badgeIRK, [3]byte{0x55, 0x66, 0x77})
	badge, err := r.DeviceByAddress("acme", rpa, identity.AddressRandom)
	if err != nil || badge.ID != "dev-badge" || badge.OwnerRef != "E-1001" {
		t.Fatalf("by RPA: %+v, %v", badge, err)
	}
	tag, err := r.DeviceByIBeacon("acme", beacon)
	if err != nil || tag.ID != "dev-tag" {
		t.Fatalf("by iBeacon: %+v, %v", tag, err)
	}
	other := beacon
	other.Minor++
	if _, err := r.DeviceByIBeacon("acme", other); !errors.Is(err, ErrNotFound) {
		t.Fatal("iBeacon matched with another minor")
	}
	sensor, err := r.DeviceByEddystone("acme", eddystone)
	if err != nil || sensor.ID != "dev-sensor" {
		t.Fatalf("by Eddystone: %+v, %v", sensor, err)
	}
}

func TestErasureRemovesDeviceAndIdentities(t *testing.T) {
	t.Parallel()
	r := New(stepClock())
	executeAll(t, r, history())
	rpa := identity.NewResolvablePrivateAddress(badgeIRK, [3]byte{0x55, 0x66, 0x77})
	if _, err := r.DeviceByAddress("acme", rpa, identity.AddressRandom); !errors.Is(err, ErrNotFound) {
		t.Fatal("erased badge still resolves by IRK")
	}
	if _, err := r.DeviceByIBeacon("acme", beacon); !errors.Is(err, ErrNotFound) {
		t.Fatal("erased tag still found by iBeacon")
	}
	if _, err := r.Device("dev-badge"); !errors.Is(err, ErrNotFound) {
		t.Fatal("erased device still in projection")
	}
	if _, err := r.DeviceByAddress("acme", *addr("C0:11:22:33:44:55"), identity.AddressRandom); !errors.Is(err, ErrNotFound) {
		t.Fatal("erased phone's old address still found")
	}
	phone, err := r.Device("dev-phone")
	if err != nil || phone.Version != 3 || *phone.Identity.Address != *addr("C0:11:22:33:44:66") {
		t.Fatalf("re-registered phone = %+v, %v", phone, err)
	}
	if r.DeviceVersion("dev-badge") != 2 {
		t.Fatalf("erased badge version %d, want 2", r.DeviceVersion("dev-badge"))
	}
}

func TestAgreementsInForce(t *testing.T) {
	t.Parallel()
	r := New(stepClock())
	executeAll(t, r, history()[:12])
	year := t0.Add(365 * 24 * time.Hour)
	tests := []struct {
		name string
		site string
		at   time.Time
		want []string
	}{
		{"before_any", "fra-1", t0.Add(-time.Second), nil},
		{"site_only", "fra-1", t0.Add(time.Minute), []string{"BV-7"}},
		{"both_site_first", "fra-1", t0.Add(2 * time.Hour), []string{"BV-7", "BV-all"}},
		{"other_site_tenant_wide", "muc-1", t0.Add(2 * time.Hour), []string{"BV-all"}},
		{"end_is_exclusive", "fra-1", year, []string{"BV-all"}},
	}
	for _, tt := range tests {
		got := r.AgreementsInForce("acme", tt.site, tt.at)
		var ids []string
		for _, a := range got {
			ids = append(ids, a.ID)
		}
		if len(ids) != len(tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, ids, tt.want)
			continue
		}
		for i := range ids {
			if ids[i] != tt.want[i] {
				t.Errorf("%s: %v, want %v", tt.name, ids, tt.want)
			}
		}
	}
	if got := r.AgreementsInForce("globex", "fra-1", t0.Add(2*time.Hour)); len(got) != 0 {
		t.Fatalf("another tenant sees %v", got)
	}
}

func TestAgreementAmendment(t *testing.T) {
	t.Parallel()
	r := New(stepClock())
	executeAll(t, r, history()[:11])
	end := t0.Add(24 * time.Hour)
	if _, err := r.Execute(RecordAgreement{AgreementID: "BV-7", Tenant: "acme", Site: "fra-1", ValidFrom: t0, ValidTo: end}); !errors.Is(err, ErrVersionConflict) {
		t.Fatalf("amending without the current version: %v", err)
	}
	if _, err := r.Execute(RecordAgreement{AgreementID: "BV-7", Tenant: "acme", Site: "fra-1", ValidFrom: t0, ValidTo: end, ExpectedVersion: 1}); err != nil {
		t.Fatal(err)
	}
	if got := r.AgreementsInForce("acme", "fra-1", end.Add(time.Minute)); len(got) != 0 {
		t.Fatalf("ended agreement still in force: %v", got)
	}
}

func TestCallersCannotMutateProjection(t *testing.T) {
	t.Parallel()
	r := New(stepClock())
	phoneAddr := addr("C0:11:22:33:44:55")
	cmd := RegisterDevice{DeviceID: "dev-x", Tenant: "acme", Identity: Identity{Address: phoneAddr, AddressType: identity.AddressRandom}, Category: CategoryVisitor}
	executeAll(t, r, []Command{cmd})
	phoneAddr[5] = 0x99 // the caller reuses its command afterwards
	d, _ := r.Device("dev-x")
	d.Identity.Address[0] = 0x00 // and scribbles on a query result
	again, _ := r.Device("dev-x")
	if *again.Identity.Address != *addr("C0:11:22:33:44:55") {
		t.Fatalf("projection changed from outside: %s", again.Identity.Address)
	}
}
