package mapper

import (
	"fmt"
	"math"
	"slices"

	"google.golang.org/protobuf/proto"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/services/transformer/internal/adstruct"
	"github.com/bluestream/bluestream/services/transformer/internal/assigned"
)

// uriSchemes are the codes of the Assigned Numbers "URI Schemes" list that
// advertisers use in practice; 0x01 means the text carries its own scheme.
var uriSchemes = map[uint16]string{0x01: "", 0x16: "http:", 0x17: "https:"}

// mergeAD fills what dst lacks from s: a scan response often carries the name
// or the service UUIDs the advertising payload had no room for.
func mergeAD(dst *blev1.AdvertisingData, s *adstruct.Summary) {
	if dst.Flags == nil && s.HasFlags {
		dst.Flags = proto.Uint32(uint32(s.Flags))
	}
	if dst.LocalName == "" && len(s.LocalName) > 0 {
		dst.LocalName, dst.LocalNameComplete = text(s.LocalName), s.LocalNameComplete
	}
	if dst.TxPower == nil && s.HasTxPower {
		dst.TxPower = proto.Int32(int32(s.TxPower))
	}
	if dst.Appearance == nil && s.HasAppearance {
		dst.Appearance = proto.Uint32(uint32(s.Appearance))
	}
	for _, u := range s.ServiceUUIDs {
		if str := uuidString(u); !slices.Contains(dst.ServiceUuids, str) {
			dst.ServiceUuids = append(dst.ServiceUuids, str)
		}
	}
	if id, ok := s.CompanyID(); ok && dst.CompanyId == nil {
		dst.CompanyId = proto.Uint32(uint32(id))
		dst.CompanyName, _ = assigned.Company(id)
	}
	if dst.AdvertisingIntervalMs == nil && s.HasAdvertisingInterval {
		// The interval is in units of 0.625 ms (CSS Part A, 1.15).
		dst.AdvertisingIntervalMs = proto.Uint32(uint32(math.Round(float64(s.AdvertisingInterval) * 0.625)))
	}
	if dst.Uri == "" && len(s.URIs) > 0 {
		dst.Uri = uri(s.URIs[0])
	}
}

// uuidString is the contract's form: 16-bit and 32-bit UUIDs on the Base UUID
// as 4 or 8 hex digits, the rest in the canonical 8-4-4-4-12 form.
func uuidString(u adstruct.UUID) string {
	if v, ok := u.Short16(); ok {
		return fmt.Sprintf("%04x", v)
	}
	if v, ok := u.Short32(); ok {
		return fmt.Sprintf("%08x", v)
	}
	return u.String()
}

// uri expands the scheme code; an unknown code is kept visible in the text so
// nothing is silently lost.
func uri(u adstruct.URI) string {
	if scheme, ok := uriSchemes[u.SchemeCode]; ok {
		return scheme + text(u.Rest)
	}
	return fmt.Sprintf("scheme-0x%04x:%s", u.SchemeCode, text(u.Rest))
}
