package registry

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Snapshot is the whole projection in a deterministic order: for comparing a replayed
// projection with a live one, and as the payload of a future snapshot store.
type Snapshot struct {
	Gateways   []Gateway
	Devices    []Device
	Agreements []Agreement
	Versions   []AggregateVersion
}

// AggregateVersion is one aggregate's version, including retired and erased ones.
type AggregateVersion struct {
	Kind    string // "gateway", "device" or "agreement"
	ID      string
	Version uint64
}

var kindNames = map[aggregateKind]string{kindGateway: "gateway", kindDevice: "device", kindAgreement: "agreement"}

// Snapshot copies the projection.
func (r *Registry) Snapshot() Snapshot {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var snap Snapshot
	for _, g := range r.state.gateways {
		snap.Gateways = append(snap.Gateways, g)
	}
	for _, d := range r.state.devices {
		snap.Devices = append(snap.Devices, d.clone())
	}
	for _, a := range r.state.agreements {
		snap.Agreements = append(snap.Agreements, a)
	}
	for ref, v := range r.state.versions {
		snap.Versions = append(snap.Versions, AggregateVersion{Kind: kindNames[ref.kind], ID: ref.id, Version: v})
	}
	slices.SortFunc(snap.Gateways, func(a, b Gateway) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(snap.Devices, func(a, b Device) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(snap.Agreements, func(a, b Agreement) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(snap.Versions, func(a, b AggregateVersion) int {
		return cmp.Or(strings.Compare(a.Kind, b.Kind), strings.Compare(a.ID, b.ID))
	})
	return snap
}

// Restore builds a registry from a snapshot, so a restart can begin there and apply
// only the events after it instead of replaying registry.events.v1 from the start.
// It checks the snapshot's consistency and names the first entry that is wrong.
func Restore(snap Snapshot, clock func() time.Time, opts ...Option) (*Registry, error) {
	s := newState()
	kinds := map[string]aggregateKind{"gateway": kindGateway, "device": kindDevice, "agreement": kindAgreement}
	for i, v := range snap.Versions {
		kind, ok := kinds[v.Kind]
		if !ok {
			return nil, fmt.Errorf("restoring snapshot: versions[%d].kind %q: want gateway, device or agreement", i, v.Kind)
		}
		s.versions[aggregateRef{kind, v.ID}] = v.Version
	}
	for i, g := range snap.Gateways {
		if err := checkRestored(s, kindGateway, g.ID, g.Version); err != nil {
			return nil, fmt.Errorf("restoring snapshot: gateways[%d]: %w", i, err)
		}
		s.gateways[g.ID] = g
	}
	for i, d := range snap.Devices {
		if err := checkRestored(s, kindDevice, d.ID, d.Version); err != nil {
			return nil, fmt.Errorf("restoring snapshot: devices[%d]: %w", i, err)
		}
		if other, field, taken := s.identityOwner(d.Tenant, d.Identity, d.IRKs); taken {
			return nil, fmt.Errorf("restoring snapshot: devices[%d]: %s already belongs to %q", i, field, other)
		}
		d = d.clone()
		s.devices[d.ID] = d
		s.index(d)
	}
	for i, a := range snap.Agreements {
		if err := checkRestored(s, kindAgreement, a.ID, a.Version); err != nil {
			return nil, fmt.Errorf("restoring snapshot: agreements[%d]: %w", i, err)
		}
		s.agreements[a.ID] = a
	}
	r := New(clock, opts...)
	r.state = s
	return r, nil
}

func checkRestored(s *state, kind aggregateKind, id string, version uint64) error {
	if id == "" {
		return errors.New("empty id")
	}
	if v := s.version(kind, id); v != version || version == 0 {
		return fmt.Errorf("%q has version %d, versions list says %d", id, version, v)
	}
	return nil
}
