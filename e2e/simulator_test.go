package e2e_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/stack"
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

	cl, err := kgo.NewClient(kgo.SeedBrokers(st.Clusters.Mirror.ListenAddrs()...),
		kgo.ConsumeTopics(topic.Remote(stack.PrimaryAlias, topic.Enriched)), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(t.Context(), waitFor)
	defer cancel()
	zones := map[string]bool{}
	for len(zones) < rooms {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("within %s the mirror shows enriched readings of rooms %v, want %d rooms of site rig", waitFor, zones, rooms)
		}
		fetches.EachRecord(func(r *kgo.Record) {
			var e blev1.ReadingEnriched
			if eventbus.Decode(r, &e) != nil || e.GetPlace().GetSite() != "rig" {
				return
			}
			if b := e.GetPlace().GetBuilding(); b != "e2e-rig" || !strings.HasPrefix(e.GetPlace().GetZone(), "room-") {
				t.Errorf("rig reading placed in building %q zone %q, want building e2e-rig and a room", b, e.GetPlace().GetZone())
			}
			zones[e.GetPlace().GetZone()] = true
		})
	}
}
