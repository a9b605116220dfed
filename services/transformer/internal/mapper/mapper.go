package mapper

import (
	"fmt"
	"math"
	"slices"
	"strings"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/services/transformer/internal/adstruct"
	"github.com/bluestream/bluestream/services/transformer/internal/decode"
)

// Append adds what r decoded to p. offset is where r's payload starts in the
// advertisement as a whole: 0 for the advertising payload, the payload's length
// for the scan response, so problem offsets stay unambiguous. Advertising data
// already in p wins over r's (the advertising payload is mapped first); lists
// are merged. Nothing in p aliases r afterwards.
func Append(p *blev1.DecodedPayload, r *decode.Result, offset int) {
	for _, f := range r.Formats {
		if !slices.Contains(p.Formats, string(f)) {
			p.Formats = append(p.Formats, string(f))
		}
	}
	for _, m := range r.Measurements {
		if math.IsNaN(m.Value) || math.IsInf(m.Value, 0) {
			// The contract requires finite values; say what was dropped rather
			// than publish an event every consumer would reject.
			p.Problems = append(p.Problems, &blev1.DecodeProblem{
				Offset:  uint32(offset),
				Message: fmt.Sprintf("%s: %s is not a finite number, dropped", m.Format, m.Quantity),
			})
			continue
		}
		p.Measurements = append(p.Measurements, &blev1.Measurement{
			Quantity: string(m.Quantity),
			Value:    m.Value,
			Unit:     m.Unit,
			Format:   string(m.Format),
			Channel:  uint32(m.Channel),
		})
	}
	for i := range r.Identities {
		if id := identity(&r.Identities[i], r); id != nil {
			p.Identities = append(p.Identities, id)
		}
	}
	for _, pr := range r.Problems {
		p.Problems = append(p.Problems, problem(pr, offset))
	}
	if p.AdvertisingData == nil {
		p.AdvertisingData = &blev1.AdvertisingData{}
	}
	mergeAD(p.AdvertisingData, &r.AD)
}

// Payload maps a single result, for callers with no scan response.
func Payload(r *decode.Result) *blev1.DecodedPayload {
	p := &blev1.DecodedPayload{}
	Append(p, r, 0)
	return p
}

func problem(pr adstruct.Problem, offset int) *blev1.DecodeProblem {
	at := pr.Offset
	if at < 0 {
		at = 0
	}
	return &blev1.DecodeProblem{
		Offset:  uint32(offset + at),
		AdType:  uint32(pr.ADType),
		Message: pr.Source + ": " + pr.Reason,
	}
}

// identity maps a beacon frame onto the contract's oneof.
func identity(id *decode.Identity, r *decode.Result) *blev1.Identity {
	switch id.Kind {
	case decode.IdentityAltBeacon:
		// The 20-byte beacon id is the 16-byte id followed by the two 16-bit
		// values, big-endian, as they stand in the frame.
		beaconID := append(slices.Clone(id.UUID[:]), byte(id.Major>>8), byte(id.Major), byte(id.Minor>>8), byte(id.Minor))
		company, _ := r.AD.CompanyID()
		return &blev1.Identity{Kind: &blev1.Identity_Altbeacon{Altbeacon: &blev1.AltBeacon{
			CompanyId:     uint32(company),
			BeaconId:      beaconID,
			ReferenceRssi: int32(id.MeasuredPower),
		}}}
	case decode.IdentityIBeacon:
		return &blev1.Identity{Kind: &blev1.Identity_Ibeacon{Ibeacon: &blev1.IBeacon{
			Uuid:          slices.Clone(id.UUID[:]),
			Major:         uint32(id.Major),
			Minor:         uint32(id.Minor),
			MeasuredPower: int32(id.MeasuredPower),
		}}}
	case decode.IdentityEddystoneUID:
		return &blev1.Identity{Kind: &blev1.Identity_EddystoneUid{EddystoneUid: &blev1.EddystoneUid{
			Namespace:    slices.Clone(id.Namespace[:]),
			Instance:     slices.Clone(id.Instance[:]),
			TxPowerAt_0M: int32(id.MeasuredPower),
		}}}
	case decode.IdentityEddystoneURL:
		if len(id.URL) == 0 {
			return nil // the contract requires a URL; the decoder reported why
		}
		return &blev1.Identity{Kind: &blev1.Identity_EddystoneUrl{EddystoneUrl: &blev1.EddystoneUrl{
			Url:          text(id.URL),
			TxPowerAt_0M: int32(id.MeasuredPower),
		}}}
	case decode.IdentityEddystoneEID:
		return &blev1.Identity{Kind: &blev1.Identity_EddystoneEid{EddystoneEid: &blev1.EddystoneEid{
			Eid:          slices.Clone(id.EID[:]),
			TxPowerAt_0M: int32(id.MeasuredPower),
		}}}
	}
	return nil
}

// text copies payload bytes into a string. Protobuf strings must be valid
// UTF-8 or marshalling fails, and advertisers send anything, so invalid
// sequences become U+FFFD.
func text(b []byte) string { return strings.ToValidUTF8(string(b), "\uFFFD") }
