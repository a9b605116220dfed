package registry

import (
	"fmt"
	"strings"
	"testing"
)

func counterIDs() func() string {
	n := 0
	return func() string { n++; return fmt.Sprintf("subj-%d", n) }
}

func TestSubjectIDsFollowOwners(t *testing.T) {
	t.Parallel()
	r := New(stepClock(), WithSubjectIDs(counterIDs()))
	executeAll(t, r, history()[:10]) // ends with dev-tag assigned to E-1001, owner of dev-badge
	badge, _ := r.Device("dev-badge")
	tag, _ := r.Device("dev-tag")
	phone, _ := r.Device("dev-phone")
	sensor, _ := r.Device("dev-sensor")
	if badge.SubjectID == "" || tag.SubjectID != badge.SubjectID {
		t.Fatalf("devices of one owner have subjects %q and %q", badge.SubjectID, tag.SubjectID)
	}
	if phone.SubjectID == badge.SubjectID || phone.SubjectID == sensor.SubjectID {
		t.Fatal("unowned devices share a subject")
	}

	// Handing the tag to someone else gives it a new subject.
	executeAll(t, r, []Command{AssignDevice{DeviceID: "dev-tag", Category: CategoryEmployee, OwnerRef: "E-2002", ExpectedVersion: 2}})
	tag, _ = r.Device("dev-tag")
	if tag.SubjectID == badge.SubjectID {
		t.Fatal("new owner inherited the previous owner's subject")
	}
	// Changing only the category keeps it.
	executeAll(t, r, []Command{AssignDevice{DeviceID: "dev-tag", Category: CategoryAsset, OwnerRef: "E-2002", ExpectedVersion: 3}})
	if again, _ := r.Device("dev-tag"); again.SubjectID != tag.SubjectID {
		t.Fatal("same owner, new subject")
	}
}

func TestErasureEventsCarryNoPersonalData(t *testing.T) {
	t.Parallel()
	log := executeAll(t, New(stepClock()), history())
	for _, e := range log {
		de, ok := e.(DeviceErased)
		if !ok {
			continue
		}
		dump := fmt.Sprintf("%#v", de)
		for _, personal := range []string{"E-1001", "C0:11:22", "c01122"} {
			if strings.Contains(dump, personal) {
				t.Fatalf("erasure event %s contains %q", dump, personal)
			}
		}
		if !strings.HasPrefix(de.SubjectID, "subj_") || len(de.SubjectID) != 5+26 {
			t.Fatalf("subject id %q is not a random id", de.SubjectID)
		}
	}
}
