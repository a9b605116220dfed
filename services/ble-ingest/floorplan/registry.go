package floorplan

import (
	"context"
	"fmt"
	"math"

	"connectrpc.com/connect"

	registryv1 "github.com/bluestream/bluestream/gen/bluestream/registry/v1"
	"github.com/bluestream/bluestream/gen/bluestream/registry/v1/registryv1connect"
)

// LatLon is a WGS84 position in degrees.
type LatLon struct{ Lat, Lon float64 }

// At returns the position p metres east (X) and north (Y) of o. The
// equirectangular approximation is exact to centimetres across a building.
func (o LatLon) At(p Point) LatLon {
	const metresPerDegree = 111_320.0
	return LatLon{
		Lat: o.Lat + p.Y/metresPerDegree,
		Lon: o.Lon + p.X/(metresPerDegree*math.Cos(o.Lat*math.Pi/180)),
	}
}

// Site says where a plan stands and whose it is, as the registry files it:
// the enricher sends readings from gateways it does not know to the DLQ, so
// whatever simulates gateways registers them first.
type Site struct {
	Tenant, Site, Building, Floor string
	// Origin is the plan's (0, 0).
	Origin LatLon
}

// Placement is the registry's view of gateway g standing in zone.
func (s Site) Placement(g Gateway, zone string) *registryv1.GatewayPlacement {
	at := s.Origin.At(g.Pos)
	return &registryv1.GatewayPlacement{
		Site: s.Site, Building: s.Building, Floor: s.Floor, Zone: zone,
		Position: &registryv1.GeoPoint{Latitude: at.Lat, Longitude: at.Lon},
		XM:       g.Pos.X, YM: g.Pos.Y, RssiAt_1M: int32(math.Round(g.RSSIAt1m)),
	}
}

// RegisterGateway registers g in zone; a gateway the registry already holds
// (a restart) counts as registered.
func (s Site) RegisterGateway(ctx context.Context, c registryv1connect.RegistryServiceClient, g Gateway, zone string) error {
	_, err := c.RegisterGateway(ctx, connect.NewRequest(&registryv1.RegisterGatewayRequest{
		GatewayId: g.ID, Placement: s.Placement(g, zone), Tenant: s.Tenant,
	}))
	if connect.CodeOf(err) == connect.CodeAlreadyExists {
		return nil
	}
	if err != nil {
		return fmt.Errorf("registering gateway %s: %w", g.ID, err)
	}
	return nil
}

// Register registers every gateway of p in the zone it stands in.
func (s Site) Register(ctx context.Context, c registryv1connect.RegistryServiceClient, p Plan) error {
	for _, g := range p.Gateways {
		z, ok := p.ZoneOf(g.Pos)
		if !ok {
			return fmt.Errorf("gateway %s at %v stands in no zone", g.ID, g.Pos)
		}
		if err := s.RegisterGateway(ctx, c, g, z.ID); err != nil {
			return err
		}
	}
	return nil
}
