package mapper

import (
	registryv1 "github.com/bluestream/bluestream/gen/bluestream/registry/v1"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
)

// RegisterGateway maps the request to its command.
func RegisterGateway(req *registryv1.RegisterGatewayRequest) (registry.RegisterGateway, error) {
	p, rssi, err := placementFromProto(req.GetPlacement())
	if err != nil {
		return registry.RegisterGateway{}, err
	}
	return registry.RegisterGateway{GatewayID: req.GetGatewayId(), Tenant: req.GetTenant(), Placement: p, RSSIAt1m: rssi}, nil
}

// MoveGateway maps the request to its command.
func MoveGateway(req *registryv1.MoveGatewayRequest) (registry.MoveGateway, error) {
	p, rssi, err := placementFromProto(req.GetPlacement())
	if err != nil {
		return registry.MoveGateway{}, err
	}
	return registry.MoveGateway{GatewayID: req.GetGatewayId(), Placement: p, RSSIAt1m: rssi, ExpectedVersion: req.GetExpectedVersion()}, nil
}

// RetireGateway maps the request to its command.
func RetireGateway(req *registryv1.RetireGatewayRequest) registry.RetireGateway {
	return registry.RetireGateway{GatewayID: req.GetGatewayId(), ExpectedVersion: req.GetExpectedVersion()}
}

// RegisterDevice maps the request to its command.
func RegisterDevice(req *registryv1.RegisterDeviceRequest) (registry.RegisterDevice, error) {
	id, err := identityFromProto("identity", req.GetIdentity())
	if err != nil {
		return registry.RegisterDevice{}, err
	}
	irks, err := irksFromProto("irks", req.GetIrks())
	if err != nil {
		return registry.RegisterDevice{}, err
	}
	cat, err := categoryFromProto("category", req.GetCategory())
	if err != nil {
		return registry.RegisterDevice{}, err
	}
	return registry.RegisterDevice{
		DeviceID: req.GetDeviceId(), Tenant: req.GetTenant(), Identity: id, IRKs: irks, Category: cat,
		OwnerRef: req.GetOwnerRef(), Consent: req.GetConsent(), ExpectedVersion: req.GetExpectedVersion(),
	}, nil
}

// AssignDevice maps the request to its command.
func AssignDevice(req *registryv1.AssignDeviceRequest) (registry.AssignDevice, error) {
	cat, err := categoryFromProto("category", req.GetCategory())
	if err != nil {
		return registry.AssignDevice{}, err
	}
	return registry.AssignDevice{DeviceID: req.GetDeviceId(), Category: cat, OwnerRef: req.GetOwnerRef(),
		Consent: req.GetConsent(), ExpectedVersion: req.GetExpectedVersion()}, nil
}

// RecordAgreement maps the request to its command.
func RecordAgreement(req *registryv1.RecordAgreementRequest) registry.RecordAgreement {
	c := registry.RecordAgreement{AgreementID: req.GetAgreementId(), Tenant: req.GetTenant(), Site: req.GetSite(),
		ValidFrom: req.GetValidFrom().AsTime(), ExpectedVersion: req.GetExpectedVersion()}
	if req.GetValidTo() != nil {
		c.ValidTo = req.GetValidTo().AsTime()
	}
	return c
}

// RequestErasure maps the request to its command. Expected version 0 erases
// whatever is current: a data subject's right to erasure must not depend on the
// caller having read the device first.
func RequestErasure(req *registryv1.RequestErasureRequest) registry.RequestErasure {
	v := req.GetExpectedVersion()
	if v == 0 {
		v = registry.AnyVersion
	}
	return registry.RequestErasure{RequestID: req.GetRequestId(), DeviceID: req.GetDeviceId(), ExpectedVersion: v}
}
