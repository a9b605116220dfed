package registry

import (
	"slices"
	"testing"

	"github.com/bluestream/bluestream/services/enricher/internal/identity"
)

// TestErasingADeviceErasesItsSubject: the subject key is shared by one owner's
// devices, so erasing one of them must erase the others in the same decision.
func TestErasingADeviceErasesItsSubject(t *testing.T) {
	t.Parallel()
	r := New(stepClock(), WithSubjectIDs(counterIDs()))
	executeAll(t, r, history()[:10]) // dev-badge and dev-tag belong to E-1001
	events, err := r.Execute(RequestErasure{DeviceID: "dev-badge", ExpectedVersion: 1, RequestID: "req-1"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range events {
		de := e.(DeviceErased)
		if de.RequestID != "req-1" {
			t.Errorf("%s: request id %q, want req-1", de.AggregateID, de.RequestID)
		}
		ids = append(ids, de.AggregateID)
	}
	if !slices.Equal(ids, []string{"dev-badge", "dev-tag"}) {
		t.Fatalf("erased %v, want dev-badge then dev-tag", ids)
	}
	if _, err := r.Device("dev-phone"); err != nil {
		t.Errorf("a device of another subject was erased: %v", err)
	}
}

// TestReassignmentCarriesTheIdentityToTheNewSubject: after a change of owner the
// identity must be recoverable from the reassignment alone, as it is on a replay
// whose registration can no longer be unsealed.
func TestReassignmentCarriesTheIdentityToTheNewSubject(t *testing.T) {
	t.Parallel()
	r := New(stepClock(), WithSubjectIDs(counterIDs()))
	executeAll(t, r, history()[:9])
	events, err := r.Execute(AssignDevice{DeviceID: "dev-badge", Category: CategoryEmployee, OwnerRef: "E-2002", ExpectedVersion: 1})
	if err != nil {
		t.Fatal(err)
	}
	da := events[0].(DeviceAssigned)
	if !da.Rekeyed || !slices.Equal(da.IRKs, []identity.IRK{badgeIRK}) {
		t.Fatalf("reassignment to a new owner: rekeyed %v, IRKs %v; want the badge's IRK", da.Rekeyed, da.IRKs)
	}

	// A replay whose registration lost its personal data still ends with the IRK.
	replayed := New(stepClock())
	log := []Event{DeviceRegistered{Meta: Meta{AggregateID: "dev-badge", Version: 1, OccurredAt: t0}, Tenant: "acme",
		Category: CategoryEmployee, SubjectID: "subj-old"}, da}
	if err := replayed.Replay(log); err != nil {
		t.Fatal(err)
	}
	rpa := identity.NewResolvablePrivateAddress(badgeIRK, [3]byte{0x4a, 0x01, 0x02})
	d, err := replayed.DeviceByAddress("acme", rpa, identity.AddressRandom)
	if err != nil || d.ID != "dev-badge" || d.OwnerRef != "E-2002" {
		t.Fatalf("resolving the badge after replay: %+v, %v", d, err)
	}
}
