package registry

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bluestream/bluestream/services/enricher/internal/identity"
)

// Gateway returns an active gateway by id.
func (r *Registry) Gateway(id string) (Gateway, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.state.activeGateway(id)
}

// Device returns a device by id.
func (r *Registry) Device(id string) (Device, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	d, ok := r.state.devices[id]
	if !ok {
		return Device{}, fmt.Errorf("device %q: %w", id, ErrNotFound)
	}
	return d.clone(), nil
}

// DeviceByAddress finds the device advertising with addr: by its registered address,
// or, for resolvable private addresses, by the IRK that generated it.
func (r *Registry) DeviceByAddress(tenant string, addr identity.Address, typ identity.AddressType) (Device, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if id, ok := r.state.byAddress[addressKey{tenant, addr, typ}]; ok {
		return r.state.devices[id].clone(), nil
	}
	if identity.Classify(addr, typ) == identity.KindResolvablePrivate {
		if res, ok := r.state.resolvers[tenant]; ok {
			if id, ok := res.Resolve(addr); ok {
				return r.state.devices[id].clone(), nil
			}
		}
	}
	return Device{}, fmt.Errorf("device with this address: %w", ErrNotFound)
}

// DeviceByIBeacon finds the device with an iBeacon identity.
func (r *Registry) DeviceByIBeacon(tenant string, id identity.IBeaconID) (Device, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if dev, ok := r.state.byIBeacon[ibeaconKey{tenant, id}]; ok {
		return r.state.devices[dev].clone(), nil
	}
	return Device{}, fmt.Errorf("device with iBeacon %s: %w", id, ErrNotFound)
}

// DeviceByEddystone finds the device with an Eddystone-UID identity.
func (r *Registry) DeviceByEddystone(tenant string, id identity.EddystoneUID) (Device, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if dev, ok := r.state.byEddystone[eddystoneKey{tenant, id}]; ok {
		return r.state.devices[dev].clone(), nil
	}
	return Device{}, fmt.Errorf("device with Eddystone UID %s: %w", id, ErrNotFound)
}

// AgreementsInForce lists the tenant's agreements covering site at time t, the
// site-specific ones first, then by id.
func (r *Registry) AgreementsInForce(tenant, site string, t time.Time) []Agreement {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []Agreement
	for _, a := range r.state.agreements {
		if a.Tenant == tenant && a.InForce(site, t) {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b Agreement) int {
		if c := boolFirst(a.Site != "", b.Site != ""); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

func boolFirst(a, b bool) int {
	switch {
	case a && !b:
		return -1
	case b && !a:
		return 1
	}
	return 0
}

// GatewayVersion returns a gateway's version, counting retirement (0 if never seen),
// for callers that build the expected version of their next command.
func (r *Registry) GatewayVersion(id string) uint64 { return r.versionOf(kindGateway, id) }

// DeviceVersion returns a device's version, counting erasure (0 if never seen).
func (r *Registry) DeviceVersion(id string) uint64 { return r.versionOf(kindDevice, id) }

// AgreementVersion returns an agreement's version (0 if never seen).
func (r *Registry) AgreementVersion(id string) uint64 { return r.versionOf(kindAgreement, id) }

func (r *Registry) versionOf(kind aggregateKind, id string) uint64 {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.state.version(kind, id)
}
