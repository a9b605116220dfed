package registry

import (
	"reflect"
	"strings"
	"testing"

	"github.com/bluestream/bluestream/services/enricher/internal/identity"
)

func TestRestoreFromSnapshotThenContinue(t *testing.T) {
	t.Parallel()
	cmds := history()
	live := New(stepClock())
	log := executeAll(t, live, cmds[:9])

	restored, err := Restore(live.Snapshot(), stepClock())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(restored.Snapshot(), live.Snapshot()) {
		t.Fatal("restored snapshot differs")
	}
	rpa := identity.NewResolvablePrivateAddress(badgeIRK, [3]byte{4, 5, 6})
	if d, err := restored.DeviceByAddress("acme", rpa, identity.AddressRandom); err != nil || d.ID != "dev-badge" {
		t.Fatalf("restored registry does not resolve RPAs: %v, %v", d.ID, err)
	}

	// The rest of the history, applied on top of the snapshot, matches a full replay.
	rest := executeAll(t, live, cmds[9:])
	if err := restored.Replay(rest); err != nil {
		t.Fatal(err)
	}
	full := New(stepClock())
	if err := full.Replay(append(log, rest...)); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(restored.Snapshot(), full.Snapshot()) {
		t.Fatal("snapshot plus tail differs from a full replay")
	}
}

func TestRestoreRejectsInconsistentSnapshot(t *testing.T) {
	t.Parallel()
	live := New(stepClock())
	executeAll(t, live, history()[:9])
	tests := []struct {
		name    string
		corrupt func(*Snapshot)
		mention string
	}{
		{"unknown_kind", func(s *Snapshot) { s.Versions[0].Kind = "planet" }, "versions[0].kind"},
		{"version_mismatch", func(s *Snapshot) { s.Gateways[0].Version = 7 }, "gateways[0]"},
		// Devices sort by id: dev-badge (with the IRK) comes first.
		{"shared_identity", func(s *Snapshot) { s.Devices[1].IRKs = s.Devices[0].IRKs }, "irks"},
	}
	for _, tt := range tests {
		snap := live.Snapshot()
		tt.corrupt(&snap)
		if _, err := Restore(snap, stepClock()); err == nil || !strings.Contains(err.Error(), tt.mention) {
			t.Errorf("%s: error %v, want one naming %s", tt.name, err, tt.mention)
		}
	}
}
