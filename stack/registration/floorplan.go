package registration

import (
	"fmt"

	registryv1 "github.com/bluestream/bluestream/gen/bluestream/registry/v1"
	"github.com/bluestream/bluestream/services/ble-ingest/floorplan"
)

// Where the simulated office is and whose it is.
const (
	Tenant   = "bluestream-dev"
	Site     = "office"
	Building = "hq"
	Floor    = "1"
)

// office is where the registry files the floor plan: its (0, 0) is an office
// in Frankfurt am Main, near the primary cluster's region.
var office = floorplan.Site{Tenant: Tenant, Site: Site, Building: Building, Floor: Floor,
	Origin: floorplan.LatLon{Lat: 50.1109, Lon: 8.6821}}

// Gateway is a gateway of the floor plan with the zone the registry files its
// readings under.
type Gateway struct {
	floorplan.Gateway
	Zone string
}

// Office is the gateways of ble-ingest's simulated office, which the stack
// registers before the simulator starts sending.
var Office = must(Gateways(floorplan.Office()))

// Gateways returns the plan's gateways, each with the zone it stands in.
func Gateways(plan floorplan.Plan) ([]Gateway, error) {
	out := make([]Gateway, 0, len(plan.Gateways))
	for _, g := range plan.Gateways {
		z, ok := plan.ZoneOf(g.Pos)
		if !ok {
			return nil, fmt.Errorf("gateway %s at %v stands in no zone", g.ID, g.Pos)
		}
		out = append(out, Gateway{Gateway: g, Zone: z.ID})
	}
	return out, nil
}

// must stops the program at start when the built-in plan is broken, which a
// test would have caught.
func must(gws []Gateway, err error) []Gateway {
	if err != nil {
		panic("registration: " + err.Error())
	}
	return gws
}

// Placement is the registry's view of g.
func (g Gateway) Placement() *registryv1.GatewayPlacement { return office.Placement(g.Gateway, g.Zone) }
