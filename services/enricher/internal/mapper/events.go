package mapper

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	registryv1 "github.com/bluestream/bluestream/gen/bluestream/registry/v1"
	"github.com/bluestream/bluestream/services/enricher/internal/privacy"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
)

// Events converts registry events to and from their contract, sealing the personal
// fields (identity, IRKs, owner reference) under the data subject's key on the way
// out and opening them on the way in. Once erasure destroyed that key, they open
// as nothing: the device then replays without identity until its erasure event.
type Events struct {
	Sealer *privacy.Sealer
}

var deterministic = proto.MarshalOptions{Deterministic: true}

// ToProto encodes e for registry.events.v1.
func (m Events) ToProto(ctx context.Context, e registry.Event) (*registryv1.RegistryEvent, error) {
	meta := e.EventMeta()
	out := &registryv1.RegistryEvent{AggregateId: meta.AggregateID, Version: meta.Version, OccurredAt: timestamppb.New(meta.OccurredAt)}
	switch e := e.(type) {
	case registry.GatewayRegistered:
		out.Event = &registryv1.RegistryEvent_GatewayRegistered{GatewayRegistered: &registryv1.GatewayRegistered{
			GatewayId: e.AggregateID, Placement: placementToProto(e.Placement, e.RSSIAt1m), Tenant: e.Tenant}}
	case registry.GatewayMoved:
		out.Event = &registryv1.RegistryEvent_GatewayMoved{GatewayMoved: &registryv1.GatewayMoved{
			GatewayId: e.AggregateID, Placement: placementToProto(e.Placement, e.RSSIAt1m)}}
	case registry.GatewayRetired:
		out.Event = &registryv1.RegistryEvent_GatewayRetired{GatewayRetired: &registryv1.GatewayRetired{GatewayId: e.AggregateID}}
	case registry.DeviceRegistered:
		sealed, err := m.seal(ctx, e.Tenant, e.SubjectID, &registryv1.DevicePersonalData{
			Identity: identityToProto(e.Identity), Irks: irksToProto(e.IRKs), OwnerRef: e.OwnerRef})
		if err != nil {
			return nil, err
		}
		out.Event = &registryv1.RegistryEvent_DeviceEnrolled{DeviceEnrolled: &registryv1.DeviceEnrolled{
			DeviceId: e.AggregateID, Tenant: e.Tenant, Category: categoryToProto(e.Category), SubjectId: e.SubjectID,
			Consent: e.Consent, SealedPersonalData: sealed}}
	case registry.DeviceAssigned:
		personal := &registryv1.DevicePersonalData{OwnerRef: e.OwnerRef}
		if e.Rekeyed {
			personal.Identity, personal.Irks = identityToProto(e.Identity), irksToProto(e.IRKs)
		}
		sealed, err := m.seal(ctx, e.Tenant, e.SubjectID, personal)
		if err != nil {
			return nil, err
		}
		out.Event = &registryv1.RegistryEvent_DeviceReassigned{DeviceReassigned: &registryv1.DeviceReassigned{
			DeviceId: e.AggregateID, Tenant: e.Tenant, Category: categoryToProto(e.Category), SubjectId: e.SubjectID,
			Consent: e.Consent, Rekeyed: e.Rekeyed, SealedPersonalData: sealed}}
	case registry.AgreementRecorded:
		ag := &registryv1.AgreementRecorded{AgreementId: e.AggregateID, Tenant: e.Tenant, Site: e.Site, ValidFrom: timestamppb.New(e.ValidFrom)}
		if !e.ValidTo.IsZero() {
			ag.ValidTo = timestamppb.New(e.ValidTo)
		}
		out.Event = &registryv1.RegistryEvent_AgreementRecorded{AgreementRecorded: ag}
	case registry.DeviceErased:
		out.Event = &registryv1.RegistryEvent_ErasureRequested{ErasureRequested: &registryv1.ErasureRequested{
			DeviceId: e.AggregateID, RequestId: e.RequestID, Tenant: e.Tenant, SubjectId: e.SubjectID}}
	default:
		return nil, fmt.Errorf("encoding registry event: unknown type %T", e)
	}
	return out, nil
}

func (m Events) seal(ctx context.Context, tenant, subject string, personal *registryv1.DevicePersonalData) ([]byte, error) {
	plain, err := deterministic.Marshal(personal)
	if err != nil {
		return nil, fmt.Errorf("encoding personal data: %w", err)
	}
	return m.Sealer.Seal(ctx, tenant, subject, plain)
}

// FromProto decodes an event read back from registry.events.v1.
func (m Events) FromProto(ctx context.Context, in *registryv1.RegistryEvent) (registry.Event, error) {
	meta := registry.Meta{AggregateID: in.GetAggregateId(), Version: in.GetVersion(), OccurredAt: in.GetOccurredAt().AsTime()}
	switch {
	case meta.AggregateID == "":
		return nil, errors.New("aggregate_id: must not be empty")
	case meta.Version == 0:
		return nil, errors.New("version: must be at least 1")
	}
	switch e := in.GetEvent().(type) {
	case *registryv1.RegistryEvent_GatewayRegistered:
		p, rssi, err := placementFromProto(e.GatewayRegistered.GetPlacement())
		if err != nil {
			return nil, fmt.Errorf("gateway_registered.%w", err)
		}
		return registry.GatewayRegistered{Meta: meta, Tenant: e.GatewayRegistered.GetTenant(), Placement: p, RSSIAt1m: rssi}, nil
	case *registryv1.RegistryEvent_GatewayMoved:
		p, rssi, err := placementFromProto(e.GatewayMoved.GetPlacement())
		if err != nil {
			return nil, fmt.Errorf("gateway_moved.%w", err)
		}
		return registry.GatewayMoved{Meta: meta, Placement: p, RSSIAt1m: rssi}, nil
	case *registryv1.RegistryEvent_GatewayRetired:
		return registry.GatewayRetired{Meta: meta}, nil
	case *registryv1.RegistryEvent_DeviceEnrolled:
		return m.enrolled(ctx, meta, e.DeviceEnrolled)
	case *registryv1.RegistryEvent_DeviceReassigned:
		return m.reassigned(ctx, meta, e.DeviceReassigned)
	case *registryv1.RegistryEvent_AgreementRecorded:
		a := e.AgreementRecorded
		out := registry.AgreementRecorded{Meta: meta, Tenant: a.GetTenant(), Site: a.GetSite(), ValidFrom: a.GetValidFrom().AsTime()}
		if a.GetValidTo() != nil {
			out.ValidTo = a.GetValidTo().AsTime()
		}
		return out, nil
	case *registryv1.RegistryEvent_ErasureRequested:
		er := e.ErasureRequested
		return registry.DeviceErased{Meta: meta, Tenant: er.GetTenant(), SubjectID: er.GetSubjectId(), RequestID: er.GetRequestId()}, nil
	case *registryv1.RegistryEvent_DeviceRegistered, *registryv1.RegistryEvent_DeviceAssigned:
		// No released enricher wrote these: they would put personal data in clear
		// into a log that erasure cannot clean.
		return nil, fmt.Errorf("event: %T carries personal data in clear; only device_enrolled and device_reassigned are accepted", e)
	default:
		return nil, fmt.Errorf("event: unknown or missing (%T)", e)
	}
}

func (m Events) enrolled(ctx context.Context, meta registry.Meta, e *registryv1.DeviceEnrolled) (registry.Event, error) {
	cat, err := categoryFromProto("device_enrolled.category", e.GetCategory())
	if err != nil {
		return nil, err
	}
	out := registry.DeviceRegistered{Meta: meta, Tenant: e.GetTenant(), Category: cat, SubjectID: e.GetSubjectId(), Consent: e.GetConsent()}
	personal, err := m.open(ctx, "device_enrolled", e.GetTenant(), e.GetSubjectId(), e.GetSealedPersonalData())
	if err != nil || personal == nil {
		return out, err
	}
	if out.Identity, err = identityFromProto("device_enrolled.identity", personal.GetIdentity()); err != nil {
		return nil, err
	}
	if out.IRKs, err = irksFromProto("device_enrolled.irks", personal.GetIrks()); err != nil {
		return nil, err
	}
	out.OwnerRef = personal.GetOwnerRef()
	return out, nil
}

func (m Events) reassigned(ctx context.Context, meta registry.Meta, e *registryv1.DeviceReassigned) (registry.Event, error) {
	cat, err := categoryFromProto("device_reassigned.category", e.GetCategory())
	if err != nil {
		return nil, err
	}
	out := registry.DeviceAssigned{Meta: meta, Tenant: e.GetTenant(), Category: cat, SubjectID: e.GetSubjectId(),
		Consent: e.GetConsent(), Rekeyed: e.GetRekeyed()}
	personal, err := m.open(ctx, "device_reassigned", e.GetTenant(), e.GetSubjectId(), e.GetSealedPersonalData())
	if err != nil || personal == nil {
		return out, err
	}
	out.OwnerRef = personal.GetOwnerRef()
	if out.Rekeyed {
		if out.Identity, err = identityFromProto("device_reassigned.identity", personal.GetIdentity()); err != nil {
			return nil, err
		}
		if out.IRKs, err = irksFromProto("device_reassigned.irks", personal.GetIrks()); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// open unseals personal data; a shredded subject gives nil and no error.
func (m Events) open(ctx context.Context, field, tenant, subject string, sealed []byte) (*registryv1.DevicePersonalData, error) {
	plain, err := m.Sealer.Open(ctx, tenant, subject, sealed)
	if errors.Is(err, privacy.ErrShredded) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s.sealed_personal_data: %w", field, err)
	}
	var p registryv1.DevicePersonalData
	if err := proto.Unmarshal(plain, &p); err != nil {
		return nil, fmt.Errorf("%s.sealed_personal_data: %w", field, err)
	}
	return &p, nil
}
