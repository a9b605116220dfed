package enrich

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/bluestream/bluestream/services/enricher/internal/privacy"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
)

// ErasureNotice tells downstream projections which pseudonyms belonged to an erased
// subject, so the analyzer can drop them. It must be computed before the key is gone.
type ErasureNotice struct {
	Tenant     string
	DeviceID   string // registry aggregate id; registry events never leave the primary cluster
	RequestID  string
	Pseudonyms []string
	FromPeriod int64
	ToPeriod   int64
}

// Erase handles a DeviceErased event: it lists the subject's device and owner
// pseudonyms for every key period still within retention at now, destroys the
// subject's key (crypto-shredding) and forgets the device's position window.
// Replaying the event is harmless: the key is already gone, and the fresh key the
// listing creates is destroyed again.
func (e *Enricher) Erase(ctx context.Context, ev registry.DeviceErased, now time.Time) (ErasureNotice, error) {
	notice, err := ListErasure(ctx, e.pseudo, *e.cfg.Policy, ev, now)
	if err != nil {
		return ErasureNotice{}, err
	}
	if err := e.pseudo.ForgetSubject(ctx, ev.Tenant, ev.SubjectID); err != nil {
		return ErasureNotice{}, fmt.Errorf("erasing %q: %w", ev.AggregateID, err)
	}
	e.ForgetDevice(ev.AggregateID)
	return notice, nil
}

// ForgetDevice drops the device's position window, for an adapter that erased the
// subject's key itself (the RPC side) and tells the stream's Enricher afterwards.
func (e *Enricher) ForgetDevice(deviceID string) { e.positions.forget(deviceRef(deviceID)) }

// ListErasure lists the erased subject's device and owner pseudonyms for every key
// period still within policy's retention at now, without destroying anything: the
// caller publishes the notice first and destroys the key once the notice is safe,
// because afterwards the pseudonyms can no longer be computed.
func ListErasure(ctx context.Context, pseudo *privacy.Pseudonymizer, policy privacy.Policy, ev registry.DeviceErased, now time.Time) (ErasureNotice, error) {
	period := pseudo.Period()
	from, to, err := retainedPeriods(policy, period, now)
	if err != nil {
		return ErasureNotice{}, fmt.Errorf("erasing %q: %w", ev.AggregateID, err)
	}
	refs := []string{deviceRef(ev.AggregateID), ownerRef}
	notice := ErasureNotice{Tenant: ev.Tenant, DeviceID: ev.AggregateID, RequestID: ev.RequestID, FromPeriod: from, ToPeriod: to}
	for idx := from; idx <= to; idx++ {
		at := period.Start(idx)
		for _, ref := range refs {
			p, err := pseudo.Subject(ctx, ev.Tenant, ev.SubjectID, ref, at)
			if err != nil {
				return ErasureNotice{}, fmt.Errorf("erasing %q: %w", ev.AggregateID, err)
			}
			notice.Pseudonyms = append(notice.Pseudonyms, p.Value)
		}
	}
	slices.Sort(notice.Pseudonyms)
	return notice, nil
}

// retainedPeriods spans the key periods that any retained event can fall in: back
// as far as the longest retention of any category.
func retainedPeriods(policy privacy.Policy, period privacy.Period, now time.Time) (int64, int64, error) {
	longest := 0
	for _, days := range policy.Retention {
		longest = max(longest, days)
	}
	to, err := period.Index(now)
	if err != nil {
		return 0, 0, err
	}
	from, err := period.Index(now.Add(-time.Duration(longest) * 24 * time.Hour))
	if err != nil {
		return 0, 0, err
	}
	return from, to, nil
}
