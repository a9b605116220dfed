package registry

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

func (c RequestErasure) decide(s *state, dc decision) ([]Event, error) {
	switch {
	case c.DeviceID != "" && c.OwnerRef != "":
		return nil, invalid("device_id", "set either device_id or owner_ref, not both")
	case c.DeviceID != "":
		return c.eraseDevice(s, dc.now)
	case c.OwnerRef != "":
		return c.eraseOwner(s, dc.now)
	default:
		return nil, invalid("device_id", "set device_id or owner_ref")
	}
}

func (c RequestErasure) eraseDevice(s *state, now time.Time) ([]Event, error) {
	d, ok := s.devices[c.DeviceID]
	if !ok {
		return nil, fmt.Errorf("device %q: %w", c.DeviceID, ErrNotFound)
	}
	if c.Tenant != "" && c.Tenant != d.Tenant {
		return nil, fmt.Errorf("device %q in tenant %q: %w", c.DeviceID, c.Tenant, ErrNotFound)
	}
	if err := s.checkVersion(kindDevice, c.DeviceID, c.ExpectedVersion); err != nil {
		return nil, err
	}
	// The subject key is shared by the owner's devices; once it is destroyed their
	// sealed identities are unreadable too, so they leave the projection together
	// rather than linger in memory until the next replay drops them.
	owned := []Device{d}
	for _, other := range s.devices {
		if other.ID != d.ID && other.Tenant == d.Tenant && other.SubjectID == d.SubjectID {
			owned = append(owned, other)
		}
	}
	slices.SortFunc(owned[1:], func(a, b Device) int { return strings.Compare(a.ID, b.ID) })
	events := make([]Event, 0, len(owned))
	for _, o := range owned {
		events = append(events, erasedEvent(o, c.RequestID, now))
	}
	return events, nil
}

// eraseOwner erases every device of one person; each device is its own aggregate, so
// each gets its own event at its current version. Erasing a subject with nothing left
// is not an error: the request is satisfied and a retry must not fail.
func (c RequestErasure) eraseOwner(s *state, now time.Time) ([]Event, error) {
	if err := validateID("tenant", c.Tenant); err != nil {
		return nil, err
	}
	var owned []Device
	for _, d := range s.devices {
		if d.Tenant == c.Tenant && d.OwnerRef == c.OwnerRef {
			owned = append(owned, d)
		}
	}
	slices.SortFunc(owned, func(a, b Device) int { return strings.Compare(a.ID, b.ID) })
	events := make([]Event, 0, len(owned))
	for _, d := range owned {
		events = append(events, erasedEvent(d, c.RequestID, now))
	}
	return events, nil
}

func erasedEvent(d Device, requestID string, now time.Time) DeviceErased {
	return DeviceErased{
		Meta:      Meta{AggregateID: d.ID, Version: d.Version + 1, OccurredAt: now},
		Tenant:    d.Tenant,
		SubjectID: d.SubjectID,
		RequestID: requestID,
	}
}
