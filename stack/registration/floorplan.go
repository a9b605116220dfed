package registration

import (
	"math"

	registryv1 "github.com/bluestream/bluestream/gen/bluestream/registry/v1"
)

// Where the simulated office is and whose it is.
const (
	Tenant   = "bluestream-dev"
	Site     = "office"
	Building = "hq"
	Floor    = "1"
)

// origin is the floor plan's (0, 0): an office in Frankfurt am Main, near the
// primary cluster's region.
var origin = struct{ lat, lon float64 }{50.1109, 8.6821}

// Gateway is one receiver on the floor plan, in metres from the origin.
type Gateway struct {
	ID, Zone string
	X, Y     float64
	RSSIAt1m int32
}

// Office is the floor plan of ble-ingest's simulator (its simulator.Office),
// which this module cannot import: it is internal to ble-ingest. The e2e suite
// fails when a gateway the simulator uses is missing here, because the enricher
// sends readings from unknown gateways to the DLQ.
var Office = []Gateway{
	{ID: "gw-lobby", Zone: "lobby", X: 5, Y: 5, RSSIAt1m: -45},
	{ID: "gw-open-space", Zone: "open-space", X: 20, Y: 5, RSSIAt1m: -45},
	{ID: "gw-lab", Zone: "lab", X: 7, Y: 15, RSSIAt1m: -45},
	{ID: "gw-warehouse", Zone: "warehouse", X: 22, Y: 15, RSSIAt1m: -45},
}

// Placement is the registry's view of g.
func (g Gateway) Placement() *registryv1.GatewayPlacement {
	const metresPerDegree = 111_320.0
	return &registryv1.GatewayPlacement{
		Site: Site, Building: Building, Floor: Floor, Zone: g.Zone,
		Position: &registryv1.GeoPoint{
			Latitude:  origin.lat + g.Y/metresPerDegree,
			Longitude: origin.lon + g.X/(metresPerDegree*math.Cos(origin.lat*math.Pi/180)),
		},
		XM: g.X, YM: g.Y, RssiAt_1M: g.RSSIAt1m,
	}
}
