package mapper

import (
	registryv1 "github.com/bluestream/bluestream/gen/bluestream/registry/v1"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
)

// GatewayResponse maps an active gateway to the GetGateway answer.
func GatewayResponse(g registry.Gateway) *registryv1.GetGatewayResponse {
	return &registryv1.GetGatewayResponse{GatewayId: g.ID, Placement: placementToProto(g.Placement, g.RSSIAt1m), Version: g.Version}
}
