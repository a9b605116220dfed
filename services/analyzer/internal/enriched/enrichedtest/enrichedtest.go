// Package enrichedtest builds the analyzer's input as the enricher publishes
// it (ble.v1 ReadingEnriched), for the tests of every path that consumes
// it: the service's consumer and the serverless functions.
package enrichedtest

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
)

// Reading is a valid ReadingEnriched of device, received at at by the
// gateway gw-<zone> placed in zone ber/b1/1/<zone>, of subject category
// cat under legitimate interest, with the measurements ms.
func Reading(device, zone string, cat blev1.SubjectCategory, at time.Time, ms ...*blev1.Measurement) *blev1.ReadingEnriched {
	return &blev1.ReadingEnriched{
		DevicePseudonym: device,
		ReceivedAt:      timestamppb.New(at),
		EnrichedAt:      timestamppb.New(at.Add(50 * time.Millisecond)),
		Place:           &blev1.Place{Site: "ber", Building: "b1", Floor: "1", Zone: zone},
		Receivers:       []*blev1.Receiver{{GatewayId: "gw-" + zone, Rssi: -60}},
		Measurements:    ms,
		DataProtection: &blev1.DataProtection{SubjectCategory: cat, LegalBasis: blev1.LegalBasis_LEGAL_BASIS_LEGITIMATE_INTEREST,
			RetentionDays: 30},
	}
}

// Measure is a measurement of quantity q: value v in unit.
func Measure(q string, v float64, unit string) *blev1.Measurement {
	return &blev1.Measurement{Quantity: q, Value: v, Unit: unit}
}
