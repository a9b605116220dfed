package mapper

import (
	"fmt"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/services/enricher/internal/enrich"
	"github.com/bluestream/bluestream/services/enricher/internal/privacy"
)

// Enriched maps an enrichment result to the event on ble.enriched.v1. period turns
// the key period's number into the instant it starts, which is what a reader of
// key_period can compare across services.
func Enriched(e enrich.Enriched, period privacy.Period, enrichedAt time.Time) (*blev1.ReadingEnriched, error) {
	dp, err := dataProtection(e.Privacy)
	if err != nil {
		return nil, err
	}
	dp.KeyPeriod = period.Start(e.KeyPeriod).UTC().Format(time.RFC3339)
	out := &blev1.ReadingEnriched{
		DevicePseudonym: e.DevicePseudonym,
		ReceivedAt:      timestamppb.New(e.ObservedAt),
		EnrichedAt:      timestamppb.New(enrichedAt),
		Place: &blev1.Place{Site: e.Geo.Site, Building: e.Geo.Building, Floor: formatFloor(e.Geo.Floor),
			Zone: e.Geo.Zone, Geohash: e.Geo.Geohash},
		DataProtection: dp,
		OwnerPseudonym: e.OwnerPseudonym,
	}
	for _, r := range e.Receivers {
		out.Receivers = append(out.Receivers, &blev1.Receiver{GatewayId: r.GatewayID, Rssi: r.RSSI, DistanceM: r.DistanceMetres,
			RssiUnavailable: r.RSSIUnavailable})
	}
	if p := e.Geo.Position; p != nil {
		out.Position = &blev1.Position{XM: p.X, YM: p.Y, ErrorM: p.ErrorMetres}
		if p.WGS84 != nil {
			out.Position.Latitude, out.Position.Longitude = p.WGS84.Lat, p.WGS84.Lon
		}
	}
	for _, m := range e.Measurements {
		out.Measurements = append(out.Measurements, &blev1.Measurement{Quantity: m.Name, Value: m.Value, Unit: m.Unit})
	}
	return out, nil
}

func dataProtection(t privacy.Tags) (*blev1.DataProtection, error) {
	dp := &blev1.DataProtection{
		RetentionDays:       uint32(t.RetentionDays),
		WorksCouncilCovered: t.WorksCouncilCovered,
		AgreementId:         t.AgreementID,
		RotatingAddress:     t.RotatingAddress,
	}
	switch t.Category {
	case privacy.CategoryUnknown:
		dp.SubjectCategory = blev1.SubjectCategory_SUBJECT_CATEGORY_UNKNOWN
	case privacy.CategoryEmployee:
		dp.SubjectCategory = blev1.SubjectCategory_SUBJECT_CATEGORY_EMPLOYEE
	case privacy.CategoryVisitor:
		dp.SubjectCategory = blev1.SubjectCategory_SUBJECT_CATEGORY_VISITOR
	case privacy.CategoryAsset:
		dp.SubjectCategory = blev1.SubjectCategory_SUBJECT_CATEGORY_ASSET
	default:
		return nil, fmt.Errorf("data_protection.subject_category: no contract value for %s", t.Category)
	}
	switch t.LegalBasis {
	case privacy.BasisLegitimateInterest:
		dp.LegalBasis = blev1.LegalBasis_LEGAL_BASIS_LEGITIMATE_INTEREST
	case privacy.BasisConsent:
		dp.LegalBasis = blev1.LegalBasis_LEGAL_BASIS_CONSENT
	case privacy.BasisContract:
		dp.LegalBasis = blev1.LegalBasis_LEGAL_BASIS_CONTRACT
	case privacy.BasisEmployment:
		dp.LegalBasis = blev1.LegalBasis_LEGAL_BASIS_EMPLOYMENT
	default:
		return nil, fmt.Errorf("data_protection.legal_basis: no contract value for %s", t.LegalBasis)
	}
	return dp, nil
}

// SubjectErased maps an erasure notice to the event that tells the analyzer which
// pseudonyms to drop.
func SubjectErased(n enrich.ErasureNotice, erasedAt time.Time) (*blev1.SubjectErased, error) {
	if n.RequestID == "" {
		return nil, fmt.Errorf("request_id: erasure of %q has none", n.DeviceID)
	}
	if len(n.Pseudonyms) == 0 {
		return nil, fmt.Errorf("device_pseudonyms: erasure of %q listed none", n.DeviceID)
	}
	return &blev1.SubjectErased{DevicePseudonyms: append([]string(nil), n.Pseudonyms...), ErasedAt: timestamppb.New(erasedAt), RequestId: n.RequestID}, nil
}
