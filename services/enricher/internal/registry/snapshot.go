package registry

import (
	"cmp"
	"slices"
	"strings"
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
