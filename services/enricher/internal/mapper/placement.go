package mapper

import (
	"fmt"
	"strconv"

	registryv1 "github.com/bluestream/bluestream/gen/bluestream/registry/v1"
	"github.com/bluestream/bluestream/services/enricher/internal/geo"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
)

// placementFromProto reads a placement and its antenna calibration. The contract
// carries the floor as text ("2", "-1") so plans can name it; the domain counts.
func placementFromProto(p *registryv1.GatewayPlacement) (registry.Placement, float64, error) {
	if p == nil {
		return registry.Placement{}, 0, fmt.Errorf("placement: must be set")
	}
	floor, err := parseFloor(p.GetFloor())
	if err != nil {
		return registry.Placement{}, 0, err
	}
	return registry.Placement{
		Site:     p.GetSite(),
		Building: p.GetBuilding(),
		Floor:    floor,
		Zone:     p.GetZone(),
		Position: geo.LatLon{Lat: p.GetPosition().GetLatitude(), Lon: p.GetPosition().GetLongitude()},
		Plan:     geo.Point{X: p.GetXM(), Y: p.GetYM()},
	}, float64(p.GetRssiAt_1M()), nil
}

func parseFloor(s string) (int32, error) {
	if s == "" {
		return 0, nil
	}
	f, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("placement.floor: %q is not a whole floor number (0 ground, negative below)", s)
	}
	return int32(f), nil
}

func placementToProto(p registry.Placement, rssiAt1m float64) *registryv1.GatewayPlacement {
	return &registryv1.GatewayPlacement{
		Site:      p.Site,
		Building:  p.Building,
		Floor:     formatFloor(p.Floor),
		Zone:      p.Zone,
		Position:  &registryv1.GeoPoint{Latitude: p.Position.Lat, Longitude: p.Position.Lon},
		XM:        p.Plan.X,
		YM:        p.Plan.Y,
		RssiAt_1M: int32(rssiAt1m),
	}
}

func formatFloor(f int32) string { return strconv.Itoa(int(f)) }
