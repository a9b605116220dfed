package floorplan_test

import (
	"testing"

	"github.com/bluestream/bluestream/services/ble-ingest/floorplan"
)

// Every gateway of the office stands in exactly one zone: the registry files
// each gateway's readings under the zone it stands in.
func TestOfficeGatewaysStandInOneZoneEach(t *testing.T) {
	t.Parallel()
	plan := floorplan.Office()
	want := map[string]string{"gw-lobby": "lobby", "gw-open-space": "open-space", "gw-lab": "lab", "gw-warehouse": "warehouse"}
	for _, g := range plan.Gateways {
		z, ok := plan.ZoneOf(g.Pos)
		if !ok || z.ID != want[g.ID] {
			t.Errorf("%s at %v: zone %q (%v), want %q", g.ID, g.Pos, z.ID, ok, want[g.ID])
		}
		n := 0
		for _, z := range plan.Zones {
			if z.Area.Contains(g.Pos) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s lies in %d zones", g.ID, n)
		}
	}
}

func TestSharedEdgeBelongsToOneZone(t *testing.T) {
	t.Parallel()
	z, ok := floorplan.Office().ZoneOf(floorplan.Point{X: 10, Y: 5})
	if !ok || z.ID != "open-space" {
		t.Errorf("x=10 on the lobby/open-space edge: %q, %v", z.ID, ok)
	}
	if _, ok := floorplan.Office().ZoneOf(floorplan.Point{X: 31, Y: 5}); ok {
		t.Error("a point off the floor has a zone")
	}
}

func TestOfficeReturnsAPlanOfItsOwn(t *testing.T) {
	t.Parallel()
	a := floorplan.Office()
	a.Gateways[0].ID = "changed"
	if floorplan.Office().Gateways[0].ID != "gw-lobby" {
		t.Error("changing one plan changed the next")
	}
}
