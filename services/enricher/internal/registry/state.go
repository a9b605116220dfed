package registry

import (
	"github.com/bluestream/bluestream/services/enricher/internal/identity"
)

// state is the projection: what every event so far says, indexed for the queries.
type state struct {
	gateways   map[string]Gateway
	devices    map[string]Device
	agreements map[string]Agreement
	// versions holds every aggregate's version, including retired gateways and
	// erased devices, so an id's history continues instead of restarting at 1.
	versions    map[aggregateRef]uint64
	byAddress   map[addressKey]string
	byIBeacon   map[ibeaconKey]string
	byEddystone map[eddystoneKey]string
	byIRK       map[irkKey]string
	resolvers   map[string]*identity.Resolver // per tenant, owner = device id
}

type aggregateKind int

const (
	kindGateway aggregateKind = iota
	kindDevice
	kindAgreement
)

type aggregateRef struct {
	kind aggregateKind
	id   string
}

type addressKey struct {
	tenant string
	addr   identity.Address
	typ    identity.AddressType
}

type ibeaconKey struct {
	tenant string
	id     identity.IBeaconID
}

type eddystoneKey struct {
	tenant string
	id     identity.EddystoneUID
}

type irkKey struct {
	tenant string
	irk    identity.IRK
}

// resolverCacheSize bounds each tenant's RPA cache; a busy site sees a few thousand
// addresses per rotation interval.
const resolverCacheSize = 8192

func newState() *state {
	return &state{
		gateways:    make(map[string]Gateway),
		devices:     make(map[string]Device),
		agreements:  make(map[string]Agreement),
		versions:    make(map[aggregateRef]uint64),
		byAddress:   make(map[addressKey]string),
		byIBeacon:   make(map[ibeaconKey]string),
		byEddystone: make(map[eddystoneKey]string),
		byIRK:       make(map[irkKey]string),
		resolvers:   make(map[string]*identity.Resolver),
	}
}

func (s *state) version(kind aggregateKind, id string) uint64 {
	return s.versions[aggregateRef{kind, id}]
}

// checkVersion enforces optimistic concurrency for one aggregate.
func (s *state) checkVersion(kind aggregateKind, id string, expected uint64) error {
	if expected == AnyVersion {
		return nil
	}
	if actual := s.version(kind, id); actual != expected {
		return &ConflictError{AggregateID: id, Expected: expected, Actual: actual}
	}
	return nil
}

// index adds a device's identities to the lookup maps.
func (s *state) index(d Device) {
	id := d.Identity
	if id.Address != nil {
		s.byAddress[addressKey{d.Tenant, *id.Address, id.AddressType}] = d.ID
	}
	if id.IBeacon != nil {
		s.byIBeacon[ibeaconKey{d.Tenant, *id.IBeacon}] = d.ID
	}
	if id.Eddystone != nil {
		s.byEddystone[eddystoneKey{d.Tenant, *id.Eddystone}] = d.ID
	}
	for _, k := range d.IRKs {
		s.byIRK[irkKey{d.Tenant, k}] = d.ID
	}
	if len(d.IRKs) > 0 {
		s.resolver(d.Tenant).Set(d.ID, d.IRKs)
	}
}

// unindex removes a device's identities from the lookup maps.
func (s *state) unindex(d Device) {
	id := d.Identity
	if id.Address != nil {
		delete(s.byAddress, addressKey{d.Tenant, *id.Address, id.AddressType})
	}
	if id.IBeacon != nil {
		delete(s.byIBeacon, ibeaconKey{d.Tenant, *id.IBeacon})
	}
	if id.Eddystone != nil {
		delete(s.byEddystone, eddystoneKey{d.Tenant, *id.Eddystone})
	}
	for _, k := range d.IRKs {
		delete(s.byIRK, irkKey{d.Tenant, k})
	}
	if r, ok := s.resolvers[d.Tenant]; ok {
		r.Set(d.ID, nil)
	}
}

func (s *state) resolver(tenant string) *identity.Resolver {
	r, ok := s.resolvers[tenant]
	if !ok {
		r = identity.NewResolver(resolverCacheSize)
		s.resolvers[tenant] = r
	}
	return r
}

// identityOwner returns the device already using one of the identities or IRKs, if
// any, and the field that collides: two devices must never answer to the same one.
func (s *state) identityOwner(tenant string, id Identity, irks []identity.IRK) (string, string, bool) {
	for _, k := range irks {
		if owner, ok := s.byIRK[irkKey{tenant, k}]; ok {
			return owner, "irks", true
		}
	}
	if id.Address != nil {
		if owner, ok := s.byAddress[addressKey{tenant, *id.Address, id.AddressType}]; ok {
			return owner, "identity.address", true
		}
	}
	if id.IBeacon != nil {
		if owner, ok := s.byIBeacon[ibeaconKey{tenant, *id.IBeacon}]; ok {
			return owner, "identity.ibeacon", true
		}
	}
	if id.Eddystone != nil {
		if owner, ok := s.byEddystone[eddystoneKey{tenant, *id.Eddystone}]; ok {
			return owner, "identity.eddystone", true
		}
	}
	return "", "", false
}
