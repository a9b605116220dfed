package privacy

import (
	"strings"
	"testing"
)

func TestPolicyTag(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   Subject
		want Tags
	}{
		{
			name: "employee_with_agreement",
			in:   Subject{Category: CategoryEmployee, AgreementID: "BV-2026-07"},
			want: Tags{Category: CategoryEmployee, LegalBasis: BasisEmployment, RetentionDays: 30, WorksCouncilCovered: true, AgreementID: "BV-2026-07"},
		},
		{
			name: "employee_without_agreement",
			in:   Subject{Category: CategoryEmployee},
			want: Tags{Category: CategoryEmployee, LegalBasis: BasisEmployment, RetentionDays: 30},
		},
		{
			name: "visitor_with_consent",
			in:   Subject{Category: CategoryVisitor, Consent: true},
			want: Tags{Category: CategoryVisitor, LegalBasis: BasisConsent, RetentionDays: 7},
		},
		{
			name: "visitor_agreement_does_not_apply",
			in:   Subject{Category: CategoryVisitor, AgreementID: "BV-2026-07"},
			want: Tags{Category: CategoryVisitor, LegalBasis: BasisLegitimateInterest, RetentionDays: 7},
		},
		{
			name: "asset_under_contract",
			in:   Subject{Category: CategoryAsset, Contract: true},
			want: Tags{Category: CategoryAsset, LegalBasis: BasisContract, RetentionDays: 365},
		},
		{
			name: "unknown_rotating_phone",
			in:   Subject{Category: CategoryUnknown, RotatingAddress: true},
			want: Tags{Category: CategoryUnknown, LegalBasis: BasisLegitimateInterest, RetentionDays: 1, RotatingAddress: true},
		},
	}
	p := DefaultPolicy()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := p.Tag(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("Tag(%+v) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestPolicyValidate(t *testing.T) {
	t.Parallel()
	if err := DefaultPolicy().Validate(); err != nil {
		t.Fatal(err)
	}
	p := DefaultPolicy()
	p.Retention[CategoryVisitor] = 0
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "retention.visitor") {
		t.Fatalf("error = %v, want one naming retention.visitor", err)
	}
	delete(p.Retention, CategoryAsset)
	if _, err := p.Tag(Subject{Category: CategoryAsset}); err == nil {
		t.Fatal("tagged a category without retention")
	}
}

func TestCodes(t *testing.T) {
	t.Parallel()
	if BasisEmployment.String() != "bdsg_26" || BasisLegitimateInterest.String() != "gdpr_art6_1_f" {
		t.Fatal("legal basis codes changed; they are part of the event contract")
	}
	if CategoryEmployee.String() != "employee" {
		t.Fatal("category codes changed")
	}
}
