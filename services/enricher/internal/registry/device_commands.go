package registry

import (
	"fmt"
	"slices"

	"github.com/bluestream/bluestream/services/enricher/internal/identity"
)

func (c RegisterDevice) decide(s *state, dc decision) ([]Event, error) {
	if err := validateID("device_id", c.DeviceID); err != nil {
		return nil, err
	}
	if err := validateID("tenant", c.Tenant); err != nil {
		return nil, err
	}
	if err := validateIdentity(c.Identity, len(c.IRKs)); err != nil {
		return nil, err
	}
	if err := validateCategory(c.Category); err != nil {
		return nil, err
	}
	if err := validateOwner(c.OwnerRef); err != nil {
		return nil, err
	}
	if _, ok := s.devices[c.DeviceID]; ok {
		return nil, fmt.Errorf("device %q: %w", c.DeviceID, ErrAlreadyExists)
	}
	if other, field, ok := s.identityOwner(c.Tenant, c.Identity, c.IRKs); ok {
		return nil, fmt.Errorf("%s is registered to device %q: %w", field, other, ErrAlreadyExists)
	}
	// A previously erased id may be registered again; its version continues.
	if err := s.checkVersion(kindDevice, c.DeviceID, c.ExpectedVersion); err != nil {
		return nil, err
	}
	return []Event{DeviceRegistered{
		Meta:      Meta{AggregateID: c.DeviceID, Version: s.version(kindDevice, c.DeviceID) + 1, OccurredAt: dc.now},
		Tenant:    c.Tenant,
		Identity:  c.Identity.clone(),
		IRKs:      slices.Clone(c.IRKs),
		Category:  c.Category,
		OwnerRef:  c.OwnerRef,
		SubjectID: s.subjectFor(c.Tenant, c.OwnerRef, dc.newID),
		Consent:   c.Consent,
	}}, nil
}

func (c AssignDevice) decide(s *state, dc decision) ([]Event, error) {
	if err := validateID("device_id", c.DeviceID); err != nil {
		return nil, err
	}
	if err := validateCategory(c.Category); err != nil {
		return nil, err
	}
	if err := validateOwner(c.OwnerRef); err != nil {
		return nil, err
	}
	d, ok := s.devices[c.DeviceID]
	if !ok {
		return nil, fmt.Errorf("device %q: %w", c.DeviceID, ErrNotFound)
	}
	if err := s.checkVersion(kindDevice, c.DeviceID, c.ExpectedVersion); err != nil {
		return nil, err
	}
	ev := DeviceAssigned{
		Meta:      Meta{AggregateID: c.DeviceID, Version: d.Version + 1, OccurredAt: dc.now},
		Tenant:    d.Tenant,
		Category:  c.Category,
		OwnerRef:  c.OwnerRef,
		SubjectID: d.SubjectID,
		Consent:   c.Consent,
	}
	if c.OwnerRef != d.OwnerRef {
		// A new owner is a new data subject; keeping the old key would link the new
		// owner's pseudonyms to the previous owner's history.
		ev.SubjectID = s.subjectFor(d.Tenant, c.OwnerRef, dc.newID)
		ev.Rekeyed, ev.Identity, ev.IRKs = true, d.Identity.clone(), slices.Clone(d.IRKs)
	}
	return []Event{ev}, nil
}

// subjectFor returns the subject id of owner's other devices, or a fresh one for a new
// owner or a device without owner.
func (s *state) subjectFor(tenant, owner string, newID func() string) string {
	if owner != "" {
		for _, d := range s.devices {
			if d.Tenant == tenant && d.OwnerRef == owner {
				return d.SubjectID
			}
		}
	}
	return newID()
}

func validateIdentity(id Identity, irks int) error {
	if id.Address == nil && id.IBeacon == nil && id.Eddystone == nil && irks == 0 {
		return invalid("identity", "need an address, an iBeacon or Eddystone identity, or an IRK")
	}
	if id.Address != nil {
		if id.Address.IsZero() {
			return invalid("identity.address", "must not be all zeros")
		}
		if id.AddressType != identity.AddressPublic && id.AddressType != identity.AddressRandom {
			return invalid("identity.address_type", "%v, want public or random", id.AddressType)
		}
	}
	if id.IBeacon != nil && id.IBeacon.UUID == [16]byte{} {
		return invalid("identity.ibeacon.uuid", "must not be all zeros")
	}
	return nil
}

func validateOwner(ref string) error {
	if ref == "" {
		return nil
	}
	return validateID("owner_ref", ref)
}
