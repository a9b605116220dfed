package mapper

import (
	"bytes"
	"encoding/hex"
	"testing"

	"buf.build/go/protovalidate"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/google/go-cmp/cmp"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/services/transformer/internal/decode"
)

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decodeBoth maps payload and scan response the way the pipeline does, with one
// Result reused for both so that aliasing bugs show.
func decodeBoth(t *testing.T, payload, scan []byte) *blev1.DecodedPayload {
	t.Helper()
	var r decode.Result
	p := &blev1.DecodedPayload{}
	decode.Decode(payload, decode.Options{}, &r)
	Append(p, &r, 0)
	if len(scan) > 0 {
		decode.Decode(scan, decode.Options{}, &r)
		Append(p, &r, len(payload))
	}
	return p
}

// TestAppendMapsPayloadAndScanResponse uses the iBeacon example of Apple's
// Proximity Beacon Specification R1 in the advertising payload and a scan
// response with a name, an Eddystone service UUID and a broken TX power.
func TestAppendMapsPayloadAndScanResponse(t *testing.T) {
	t.Parallel()
	payload := mustHex(t, "0201061aff4c000215e2c56db5dffb48d2b060d0f5a71096e000640001c5")
	scan := mustHex(t, "0509424c45310303aafe030a0102")
	got := decodeBoth(t, payload, scan)
	want := &blev1.DecodedPayload{
		Formats: []string{"ibeacon"},
		Identities: []*blev1.Identity{{Kind: &blev1.Identity_Ibeacon{Ibeacon: &blev1.IBeacon{
			Uuid:  mustHex(t, "e2c56db5dffb48d2b060d0f5a71096e0"),
			Major: 100, Minor: 1, MeasuredPower: -59,
		}}}},
		AdvertisingData: &blev1.AdvertisingData{
			Flags:             proto.Uint32(6),
			LocalName:         "BLE1",
			LocalNameComplete: true,
			ServiceUuids:      []string{"feaa"},
			CompanyId:         proto.Uint32(0x004c),
			CompanyName:       "Apple, Inc.",
		},
		// The TX power structure is the scan response's third, at byte 10 of it,
		// so byte 30+10 of the advertisement.
		Problems: []*blev1.DecodeProblem{{Offset: 40, AdType: 0x0a, Message: "ad structure: tx power level: want 1 byte"}},
	}
	if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
		t.Errorf("mapped payload (-want +got):\n%s", diff)
	}
	if err := protovalidate.Validate(got); err != nil {
		t.Errorf("mapped payload breaks the contract: %v", err)
	}
}

func TestEddystoneURLAndMeasurements(t *testing.T) {
	t.Parallel()
	// Eddystone-URL example from the Eddystone protocol specification
	// (eddystone-url/README.md): https://goo.gl/S6zT6P at -70 dBm.
	got := decodeBoth(t, mustHex(t, "0303aafe1316aafe10ba03676f6f2e676c2f53367a543650"), nil)
	url := got.GetIdentities()[0].GetEddystoneUrl()
	if url.GetUrl() != "https://goo.gl/S6zT6P" || url.GetTxPowerAt_0M() != -70 {
		t.Errorf("eddystone url = %v", url)
	}
	// BTHome v2 format example (bthome.io/format): 25.06 Cel, 50.55 %.
	got = decodeBoth(t, mustHex(t, "0201060a16d2fc4002ca0903bf13"), nil)
	want := []*blev1.Measurement{
		{Quantity: "temperature", Value: 25.06, Unit: "Cel", Format: "bthome-v2"},
		{Quantity: "humidity", Value: 50.55, Unit: "%", Format: "bthome-v2"},
	}
	if diff := cmp.Diff(want, got.GetMeasurements(), protocmp.Transform()); diff != "" {
		t.Errorf("measurements (-want +got):\n%s", diff)
	}
}

// TestOutputOwnsItsBytesAndMarshalsStably overwrites the payload after mapping:
// nothing mapped may change, and the encoding must be the same each time.
func TestOutputOwnsItsBytesAndMarshalsStably(t *testing.T) {
	t.Parallel()
	// Invalid UTF-8 in the local name must not make marshalling fail.
	payload := mustHex(t, "0201061aff4c000215e2c56db5dffb48d2b060d0f5a71096e000640001c50409ff41ff")
	got := decodeBoth(t, payload, nil)
	first, err := Marshal(got)
	if err != nil {
		t.Fatalf("marshalling: %v", err)
	}
	for i := range payload {
		payload[i] = 0xAA
	}
	second, err := Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Error("mapped payload changed when the input buffer was overwritten")
	}
	again, _ := Marshal(decodeBoth(t, mustHex(t, "0201061aff4c000215e2c56db5dffb48d2b060d0f5a71096e000640001c50409ff41ff"), nil))
	if !bytes.Equal(first, again) {
		t.Error("same input marshalled to different bytes")
	}
	if name := got.GetAdvertisingData().GetLocalName(); name != "\uFFFDA\uFFFD" {
		t.Errorf("local name %q, want invalid bytes replaced", name)
	}
}

func TestUUIDAndURIForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, payload string
		wantUUIDs     []string
		wantURI       string
	}{
		{name: "uuid16", payload: "03030f18", wantUUIDs: []string{"180f"}},
		{name: "uuid32", payload: "050478563412", wantUUIDs: []string{"12345678"}},
		{name: "uuid128", payload: "1107fb349b5f80000080001000000f180000", wantUUIDs: []string{"180f"}},
		{name: "uuid128_vendor", payload: "11070123456789abcdef0123456789abcdef", wantUUIDs: []string{"efcdab89-6745-2301-efcd-ab8967452301"}},
		// URI "https://example.com": scheme code 0x17 is UTF-8 encoded as one byte.
		{name: "uri_https", payload: "0f2417" + hex.EncodeToString([]byte("//example.com")), wantURI: "https://example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ad := decodeBoth(t, mustHex(t, tt.payload), nil).GetAdvertisingData()
			if !cmp.Equal(ad.GetServiceUuids(), tt.wantUUIDs) || ad.GetUri() != tt.wantURI {
				t.Errorf("uuids %q uri %q, want %q %q", ad.GetServiceUuids(), ad.GetUri(), tt.wantUUIDs, tt.wantURI)
			}
		})
	}
}

// TestAltBeaconKeepsItsOwnIdentity follows the frame layout of the AltBeacon
// Protocol Specification v1.0: company id, beacon code 0xBEAC, a 20-byte beacon
// id, the reference RSSI at 1 m and a reserved byte.
func TestAltBeaconKeepsItsOwnIdentity(t *testing.T) {
	t.Parallel()
	beaconID := mustHex(t, "2f234454cf6d4a0fadf2f4911ba9ffa600010002")
	payload := append(mustHex(t, "1bff1801beac"), beaconID...)
	payload = append(payload, 0xc5, 0x00)
	got := decodeBoth(t, payload, nil)
	if len(got.GetIdentities()) != 1 {
		t.Fatalf("got %d identities, want 1: %v", len(got.GetIdentities()), got)
	}
	alt := got.GetIdentities()[0].GetAltbeacon()
	if alt == nil {
		t.Fatalf("identity %v is not an altbeacon", got.GetIdentities()[0])
	}
	if !bytes.Equal(alt.GetBeaconId(), beaconID) || alt.GetCompanyId() != 0x0118 || alt.GetReferenceRssi() != -59 {
		t.Errorf("altbeacon = %v, want id %x, company 0x0118, reference -59", alt, beaconID)
	}
}

// TestMeasurementChannelsSurvive maps two sensors of one quantity: BTHome v2
// repeats the temperature object (bthome.io format, object 0x02) for each.
func TestMeasurementChannelsSurvive(t *testing.T) {
	t.Parallel()
	// Service data 0xFCD2, info 0x40 (v2, unencrypted), temperature 25.00 and 26.00 °C.
	got := decodeBoth(t, mustHex(t, "0a16d2fc4002c409022c0a"), nil)
	channels := map[uint32]float64{}
	for _, m := range got.GetMeasurements() {
		if m.GetQuantity() == "temperature" {
			channels[m.GetChannel()] = m.GetValue()
		}
	}
	if len(channels) != 2 || channels[0] == channels[1] {
		t.Fatalf("temperature channels = %v, want two distinct sensors", channels)
	}
}

// Marshal encodes m as eventbus.Encoder does: deterministically.
func Marshal(m proto.Message) ([]byte, error) {
	return proto.MarshalOptions{Deterministic: true}.Marshal(m)
}
