package decode

import (
	"testing"

	"github.com/bluestream/bluestream/services/transformer/internal/adstruct"
)

// TestProblemsCarryPayloadOffsetAndADType checks that a problem found inside a
// format's data points at the byte in the whole payload and names the AD type of
// its structure, which is what DecodeProblem promises downstream.
func TestProblemsCarryPayloadOffsetAndADType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		payload    string
		wantOffset int
		wantType   adstruct.Type
	}{
		// flags (3 bytes), then service data FCD2 with no device information byte:
		// the data starts after length, type and UUID, at 3+2+2.
		{name: "bthome_empty_service_data", payload: "0201060316d2fc", wantOffset: 7, wantType: adstruct.TypeServiceData16},
		// flags, then Apple manufacturer data with an iBeacon type byte and a
		// length that promises 21 bytes but carries 2: data starts at 3+2+2.
		{name: "ibeacon_cut_short", payload: "02010607ff4c000215abcd", wantOffset: 7, wantType: adstruct.TypeManufacturerData},
		// a structure whose length runs past the end is reported where it starts.
		{name: "length_past_end", payload: "0201060aff4c00", wantOffset: 3, wantType: 0},
		// a TX power structure with two bytes instead of one.
		{name: "bad_tx_power", payload: "020106030a0102", wantOffset: 3, wantType: adstruct.TypeTxPower},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var r Result
			Decode(mustHex(t, tt.payload), Options{}, &r)
			if len(r.Problems) == 0 {
				t.Fatalf("no problems; formats %v", r.Formats)
			}
			p := r.Problems[0]
			if p.Offset != tt.wantOffset || p.ADType != tt.wantType {
				t.Errorf("problem %+v: offset %d type %#x, want %d %#x", p, p.Offset, p.ADType, tt.wantOffset, tt.wantType)
			}
		})
	}
}
