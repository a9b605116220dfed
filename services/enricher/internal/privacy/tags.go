package privacy

import (
	"fmt"
)

// SubjectCategory says whose device it is, which decides the legal basis and retention.
type SubjectCategory int

// Subject categories. Sensors and assets carry no person; Unknown is every device the
// registry does not know, most of them visitors' and passers-by's phones.
const (
	CategoryUnknown SubjectCategory = iota
	CategoryEmployee
	CategoryVisitor
	CategoryAsset
)

// String names the category in the snake_case the event contracts use.
func (c SubjectCategory) String() string {
	switch c {
	case CategoryUnknown:
		return "unknown"
	case CategoryEmployee:
		return "employee"
	case CategoryVisitor:
		return "visitor"
	case CategoryAsset:
		return "asset"
	default:
		return fmt.Sprintf("SubjectCategory(%d)", int(c))
	}
}

// LegalBasis is the provision that makes processing lawful.
type LegalBasis int

// Legal bases. BDSG §26 is the German rule for employee data (read with GDPR
// Art. 88); since CJEU C-34/21 (2023) its first paragraph is contested, so the
// tag names the provision the controller relies on and lawyers can re-map it.
const (
	BasisLegitimateInterest LegalBasis = iota // GDPR Art. 6(1)(f)
	BasisConsent                              // GDPR Art. 6(1)(a)
	BasisContract                             // GDPR Art. 6(1)(b)
	BasisEmployment                           // BDSG §26
)

// String names the legal basis as a stable code.
func (b LegalBasis) String() string {
	switch b {
	case BasisLegitimateInterest:
		return "gdpr_art6_1_f"
	case BasisConsent:
		return "gdpr_art6_1_a"
	case BasisContract:
		return "gdpr_art6_1_b"
	case BasisEmployment:
		return "bdsg_26"
	default:
		return fmt.Sprintf("LegalBasis(%d)", int(b))
	}
}

// Tags are the data-protection facts attached to every enriched event.
type Tags struct {
	Category      SubjectCategory
	LegalBasis    LegalBasis
	RetentionDays int
	// WorksCouncilCovered is true when a works-council agreement under BetrVG §87(1)
	// no. 6 covers monitoring this employee's device; AgreementID names it. Without
	// one, employee devices may appear only in aggregates of at least k devices.
	WorksCouncilCovered bool
	AgreementID         string
	// RotatingAddress marks readings whose address is a rotating random one, so a
	// consumer knows the pseudonym may change without the device changing.
	RotatingAddress bool
}

// Subject is what the enricher knows about the source of a reading.
type Subject struct {
	Category SubjectCategory
	// Consent is true when the person agreed to tracking (e.g. a visitor who
	// registered their badge); it outranks legitimate interest for visitors.
	Consent bool
	// Contract is true when tracking is part of a contract with the person, such as
	// a rented tool with a tracker.
	Contract bool
	// AgreementID names the works-council agreement in force for this site and
	// time, empty when there is none.
	AgreementID     string
	RotatingAddress bool
}

// Policy holds the retention period of each category, in days.
type Policy struct {
	Retention map[SubjectCategory]int
}

// DefaultPolicy keeps as little as the use cases allow: occupancy and presence need
// days, not months, for people; asset tracking has no person and keeps a year.
func DefaultPolicy() Policy {
	return Policy{Retention: map[SubjectCategory]int{
		CategoryUnknown:  1,
		CategoryVisitor:  7,
		CategoryEmployee: 30,
		CategoryAsset:    365,
	}}
}

// Validate names the category whose retention is missing or not positive.
func (p Policy) Validate() error {
	for _, c := range []SubjectCategory{CategoryUnknown, CategoryEmployee, CategoryVisitor, CategoryAsset} {
		days, ok := p.Retention[c]
		if !ok {
			return fmt.Errorf("retention.%s: missing", c)
		}
		if days <= 0 {
			return fmt.Errorf("retention.%s: %d days, want at least 1", c, days)
		}
	}
	return nil
}

// Tag derives the data-protection tags for a subject.
func (p Policy) Tag(s Subject) (Tags, error) {
	days, ok := p.Retention[s.Category]
	if !ok {
		return Tags{}, fmt.Errorf("tagging: no retention for subject category %s", s.Category)
	}
	t := Tags{
		Category:        s.Category,
		LegalBasis:      legalBasis(s),
		RetentionDays:   days,
		RotatingAddress: s.RotatingAddress,
	}
	if s.Category == CategoryEmployee && s.AgreementID != "" {
		t.WorksCouncilCovered = true
		t.AgreementID = s.AgreementID
	}
	return t, nil
}

// legalBasis picks the provision: employment law for employees, then consent, then
// contract, and legitimate interest (building safety, occupancy) for the rest.
func legalBasis(s Subject) LegalBasis {
	switch {
	case s.Category == CategoryEmployee:
		return BasisEmployment
	case s.Consent:
		return BasisConsent
	case s.Contract:
		return BasisContract
	default:
		return BasisLegitimateInterest
	}
}
