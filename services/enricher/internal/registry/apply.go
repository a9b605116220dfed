package registry

import (
	"fmt"
	"slices"
)

// apply folds one event into the state. It checks that versions follow each other
// without gaps; an event at or below the current version was already applied (a
// redelivery) and is skipped, so replaying an overlapping stretch of the log is safe.
func (s *state) apply(e Event) error {
	kind, err := kindOf(e)
	if err != nil {
		return err
	}
	m := e.EventMeta()
	current := s.version(kind, m.AggregateID)
	if m.Version <= current {
		return nil
	}
	if m.Version != current+1 {
		return fmt.Errorf("applying %T to %q: version %d follows %d: %w", e, m.AggregateID, m.Version, current, ErrVersionConflict)
	}
	if err := s.applyKnown(e); err != nil {
		return fmt.Errorf("applying %T to %q: %w", e, m.AggregateID, err)
	}
	s.versions[aggregateRef{kind, m.AggregateID}] = m.Version
	return nil
}

func kindOf(e Event) (aggregateKind, error) {
	switch e.(type) {
	case GatewayRegistered, GatewayMoved, GatewayRetired:
		return kindGateway, nil
	case DeviceRegistered, DeviceAssigned, DeviceErased:
		return kindDevice, nil
	case AgreementRecorded:
		return kindAgreement, nil
	default:
		return 0, fmt.Errorf("applying event: unknown type %T", e)
	}
}

func (s *state) applyKnown(e Event) error {
	switch e := e.(type) {
	case GatewayRegistered:
		s.gateways[e.AggregateID] = Gateway{ID: e.AggregateID, Tenant: e.Tenant, Placement: e.Placement, RSSIAt1m: e.RSSIAt1m, Version: e.Version}
	case GatewayMoved:
		return s.updateGateway(e.AggregateID, e.Version, func(g *Gateway) {
			g.Placement, g.RSSIAt1m = e.Placement, e.RSSIAt1m
		})
	case GatewayRetired:
		if _, ok := s.gateways[e.AggregateID]; !ok {
			return fmt.Errorf("gateway: %w", ErrNotFound)
		}
		delete(s.gateways, e.AggregateID)
	case DeviceRegistered:
		d := Device{ID: e.AggregateID, Tenant: e.Tenant, Identity: e.Identity.clone(), IRKs: slices.Clone(e.IRKs),
			Category: e.Category, OwnerRef: e.OwnerRef, SubjectID: e.SubjectID, Consent: e.Consent, Version: e.Version}
		s.devices[d.ID] = d
		s.index(d)
	case DeviceAssigned:
		d, ok := s.devices[e.AggregateID]
		if !ok {
			return fmt.Errorf("device: %w", ErrNotFound)
		}
		if e.Rekeyed {
			s.unindex(d)
			d.Identity, d.IRKs = e.Identity.clone(), slices.Clone(e.IRKs)
			s.index(d)
		}
		d.Category, d.OwnerRef, d.SubjectID, d.Consent, d.Version = e.Category, e.OwnerRef, e.SubjectID, e.Consent, e.Version
		s.devices[d.ID] = d
	case DeviceErased:
		d, ok := s.devices[e.AggregateID]
		if !ok {
			return fmt.Errorf("device: %w", ErrNotFound)
		}
		s.unindex(d)
		delete(s.devices, d.ID)
	case AgreementRecorded:
		s.agreements[e.AggregateID] = Agreement{ID: e.AggregateID, Tenant: e.Tenant, Site: e.Site,
			ValidFrom: e.ValidFrom, ValidTo: e.ValidTo, Version: e.Version}
	}
	return nil
}

func (s *state) updateGateway(id string, version uint64, change func(*Gateway)) error {
	g, ok := s.gateways[id]
	if !ok {
		return fmt.Errorf("gateway: %w", ErrNotFound)
	}
	change(&g)
	g.Version = version
	s.gateways[id] = g
	return nil
}
