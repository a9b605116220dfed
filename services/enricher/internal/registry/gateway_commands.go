package registry

import (
	"fmt"
)

func (c RegisterGateway) decide(s *state, dc decision) ([]Event, error) {
	if err := validateID("gateway_id", c.GatewayID); err != nil {
		return nil, err
	}
	if err := validateID("tenant", c.Tenant); err != nil {
		return nil, err
	}
	if err := validatePlacement(c.Placement); err != nil {
		return nil, err
	}
	if err := validateCalibration("rssi_at_1m", c.RSSIAt1m); err != nil {
		return nil, err
	}
	if v := s.version(kindGateway, c.GatewayID); v != 0 {
		return nil, fmt.Errorf("gateway %q: %w (version %d)", c.GatewayID, ErrAlreadyExists, v)
	}
	if err := s.checkVersion(kindGateway, c.GatewayID, c.ExpectedVersion); err != nil {
		return nil, err
	}
	return []Event{GatewayRegistered{
		Meta:      Meta{AggregateID: c.GatewayID, Version: 1, OccurredAt: dc.now},
		Tenant:    c.Tenant,
		Placement: c.Placement,
		RSSIAt1m:  c.RSSIAt1m,
	}}, nil
}

func (c MoveGateway) decide(s *state, dc decision) ([]Event, error) {
	if err := validateID("gateway_id", c.GatewayID); err != nil {
		return nil, err
	}
	if err := validatePlacement(c.Placement); err != nil {
		return nil, err
	}
	g, err := s.activeGateway(c.GatewayID)
	if err != nil {
		return nil, err
	}
	if err := s.checkVersion(kindGateway, c.GatewayID, c.ExpectedVersion); err != nil {
		return nil, err
	}
	rssi := g.RSSIAt1m
	if c.RSSIAt1m != 0 {
		if err := validateCalibration("rssi_at_1m", c.RSSIAt1m); err != nil {
			return nil, err
		}
		rssi = c.RSSIAt1m
	}
	return []Event{GatewayMoved{
		Meta:      Meta{AggregateID: c.GatewayID, Version: g.Version + 1, OccurredAt: dc.now},
		Placement: c.Placement,
		RSSIAt1m:  rssi,
	}}, nil
}

func (c RetireGateway) decide(s *state, dc decision) ([]Event, error) {
	if err := validateID("gateway_id", c.GatewayID); err != nil {
		return nil, err
	}
	g, err := s.activeGateway(c.GatewayID)
	if err != nil {
		return nil, err
	}
	if err := s.checkVersion(kindGateway, c.GatewayID, c.ExpectedVersion); err != nil {
		return nil, err
	}
	return []Event{GatewayRetired{
		Meta: Meta{AggregateID: c.GatewayID, Version: g.Version + 1, OccurredAt: dc.now},
	}}, nil
}

// activeGateway finds a gateway that is registered and not retired.
func (s *state) activeGateway(id string) (Gateway, error) {
	g, ok := s.gateways[id]
	if !ok {
		if s.version(kindGateway, id) != 0 {
			return Gateway{}, fmt.Errorf("gateway %q is retired: %w", id, ErrNotFound)
		}
		return Gateway{}, fmt.Errorf("gateway %q: %w", id, ErrNotFound)
	}
	return g, nil
}
