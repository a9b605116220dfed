package enrich

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bluestream/bluestream/services/enricher/internal/identity"
	"github.com/bluestream/bluestream/services/enricher/internal/privacy"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
)

// subject is who sent a reading, as far as the enricher may say.
type subject struct {
	device     privacy.Pseudonym
	owner      string
	registered bool
	tags       privacy.Tags
	// windowKey keys the device's position window; it never leaves the enricher.
	windowKey string
	// mayLocate is false for employee devices without a works-council agreement:
	// tracking one person's position is exactly what BetrVG §87(1) no. 6 reserves.
	mayLocate bool
}

// identify finds the registered device behind a reading, or treats it as unknown, and
// pseudonymises it for the tenant.
func (e *Enricher) identify(ctx context.Context, gw registry.Gateway, r Reading, at time.Time) (subject, error) {
	rotating := r.IBeacon == nil && r.Eddystone == nil && identity.Classify(r.Address, r.AddressType).Rotates()
	dev, found, err := e.lookupDevice(gw.Tenant, r)
	if err != nil {
		return subject{}, err
	}
	if !found {
		return e.unknownSubject(ctx, gw.Tenant, r, at, rotating)
	}
	return e.knownSubject(ctx, gw, dev, at, rotating)
}

// lookupDevice tries the beacon identities first: they are stable where the address
// of a phone acting as a beacon may rotate.
func (e *Enricher) lookupDevice(tenant string, r Reading) (registry.Device, bool, error) {
	tries := make([]func() (registry.Device, error), 0, 3)
	if r.IBeacon != nil {
		tries = append(tries, func() (registry.Device, error) { return e.dir.DeviceByIBeacon(tenant, *r.IBeacon) })
	}
	if r.Eddystone != nil {
		tries = append(tries, func() (registry.Device, error) { return e.dir.DeviceByEddystone(tenant, *r.Eddystone) })
	}
	if !r.Address.IsZero() {
		tries = append(tries, func() (registry.Device, error) { return e.dir.DeviceByAddress(tenant, r.Address, r.AddressType) })
	}
	for _, try := range tries {
		d, err := try()
		if err == nil {
			return d, true, nil
		}
		if !errors.Is(err, registry.ErrNotFound) {
			return registry.Device{}, false, fmt.Errorf("looking up device: %w", err)
		}
	}
	return registry.Device{}, false, nil
}

func (e *Enricher) knownSubject(ctx context.Context, gw registry.Gateway, d registry.Device, at time.Time, rotating bool) (subject, error) {
	// A resolved RPA is rotating on air but stable in identity: the pseudonym follows
	// the device, so the flag still tells consumers the address was a rotating one.
	s := subject{registered: true, windowKey: deviceRef(d.ID), mayLocate: true}
	ps := privacy.Subject{Category: categoryOf(d.Category), Consent: d.Consent, RotatingAddress: rotating}
	if ps.Category == privacy.CategoryEmployee {
		if in := e.dir.AgreementsInForce(d.Tenant, gw.Placement.Site, at); len(in) > 0 {
			ps.AgreementID = in[0].ID
		}
	}
	tags, err := e.cfg.Policy.Tag(ps)
	if err != nil {
		return subject{}, err
	}
	s.tags = tags
	uncovered := tags.Category == privacy.CategoryEmployee && !tags.WorksCouncilCovered
	s.mayLocate = !uncovered
	if s.device, err = e.pseudo.Subject(ctx, d.Tenant, d.SubjectID, deviceRef(d.ID), at); err != nil {
		return subject{}, err
	}
	if d.OwnerRef != "" && !uncovered {
		owner, err := e.pseudo.Subject(ctx, d.Tenant, d.SubjectID, ownerRef, at)
		if err != nil {
			return subject{}, err
		}
		s.owner = owner.Value
	}
	return s, nil
}

// The references pseudonymised under a subject's key. The owner needs no reference of
// its own: the subject id already stands for the owner, so the owner reference itself
// never enters a pseudonym and erasure can list owner pseudonyms without knowing it.
const ownerRef = "owner"

func deviceRef(id string) string { return "device:" + id }

// unknownSubject pseudonymises what the device showed: its beacon identity if any,
// else its address. No subject key applies: there is nobody to erase.
func (e *Enricher) unknownSubject(ctx context.Context, tenant string, r Reading, at time.Time, rotating bool) (subject, error) {
	ref := unknownRef(r)
	tags, err := e.cfg.Policy.Tag(privacy.Subject{Category: privacy.CategoryUnknown, RotatingAddress: rotating})
	if err != nil {
		return subject{}, err
	}
	p, err := e.pseudo.Anonymous(ctx, tenant, ref, at)
	if err != nil {
		return subject{}, err
	}
	return subject{device: p, tags: tags, windowKey: ref, mayLocate: true}, nil
}

func unknownRef(r Reading) string {
	switch {
	case r.IBeacon != nil:
		return "ibeacon:" + r.IBeacon.String()
	case r.Eddystone != nil:
		return "eddystone:" + r.Eddystone.String()
	default:
		return "address:" + strings.ToLower(r.AddressType.String()) + ":" + r.Address.String()
	}
}

// categoryOf maps registry categories to data-protection categories: a sensor, like
// an asset, carries no person.
func categoryOf(c registry.Category) privacy.SubjectCategory {
	switch c {
	case registry.CategoryEmployee:
		return privacy.CategoryEmployee
	case registry.CategoryVisitor:
		return privacy.CategoryVisitor
	case registry.CategoryAsset, registry.CategorySensor:
		return privacy.CategoryAsset
	default:
		return privacy.CategoryUnknown
	}
}
