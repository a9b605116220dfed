package e2e_test

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
)

// TestSimulatorRigIsEnriched runs bluestream-simulator, the binary of the
// device-simulator image, against the stack as a load rig would run it against
// a deployment: it registers its generated gateways with the enricher, then
// streams to ble-ingest, and every room's readings come out enriched on the
// mirror with that room as their zone, not dead-lettered as from unknown
// gateways.
func TestSimulatorRigIsEnriched(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	bin := filepath.Join(t.TempDir(), "bluestream-simulator")
	build := exec.CommandContext(t.Context(), "go", "build", "-buildvcs=false", "-o", bin, "./services/ble-ingest/cmd/bluestream-simulator")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the simulator: %v\n%s", err, out)
	}
	const rooms = 3
	sim := exec.CommandContext(t.Context(), bin, "--ingest-endpoint", st.URLs["ble-ingest"], "--registry-endpoint", st.URLs["enricher"],
		"--sim-devices", "12", "--sim-gateways", "3", "--sim-speed", "0", "--sim-for", "20s", "--sim-seed", "5",
		"--sim-gateway-prefix", "e2e-rig-", "--sim-tenant", "bluestream-dev", "--sim-site", "rig")
	if out, err := sim.CombinedOutput(); err != nil {
		t.Fatalf("bluestream-simulator: %v\n%s", err, out)
	}

	zones := map[string]bool{}
	visit := func(e *blev1.ReadingEnriched) {
		if e.GetPlace().GetSite() != "rig" {
			return
		}
		if b := e.GetPlace().GetBuilding(); b != "e2e-rig" || !strings.HasPrefix(e.GetPlace().GetZone(), "room-") {
			t.Errorf("rig reading placed in building %q zone %q, want building e2e-rig and a room", b, e.GetPlace().GetZone())
		}
		zones[e.GetPlace().GetZone()] = true
	}
	readMirroredEnriched(t, st, visit, func() bool { return len(zones) == rooms }, func() string {
		return fmt.Sprintf("the mirror shows enriched readings of rooms %v, want %d rooms of site rig", zones, rooms)
	})
}
