package registry

import (
	"fmt"
	"time"
)

func (c RecordAgreement) decide(s *state, dc decision) ([]Event, error) {
	if err := validateID("agreement_id", c.AgreementID); err != nil {
		return nil, err
	}
	if err := validateID("tenant", c.Tenant); err != nil {
		return nil, err
	}
	if c.ValidFrom.IsZero() {
		return nil, invalid("valid_from", "must be set")
	}
	if !c.ValidTo.IsZero() && !c.ValidTo.After(c.ValidFrom) {
		return nil, invalid("valid_to", "%s is not after valid_from %s", c.ValidTo.Format(time.RFC3339), c.ValidFrom.Format(time.RFC3339))
	}
	// Recording the same id again amends it (an extension or an end date), so a
	// later version is allowed; it must still match the expected version.
	if err := s.checkVersion(kindAgreement, c.AgreementID, c.ExpectedVersion); err != nil {
		return nil, err
	}
	if a, ok := s.agreements[c.AgreementID]; ok && a.Tenant != c.Tenant {
		return nil, fmt.Errorf("agreement %q belongs to another tenant: %w", c.AgreementID, ErrAlreadyExists)
	}
	return []Event{AgreementRecorded{
		Meta:      Meta{AggregateID: c.AgreementID, Version: s.version(kindAgreement, c.AgreementID) + 1, OccurredAt: dc.now},
		Tenant:    c.Tenant,
		Site:      c.Site,
		ValidFrom: c.ValidFrom,
		ValidTo:   c.ValidTo,
	}}, nil
}
