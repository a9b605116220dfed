package decode

import (
	"encoding/hex"
	"math"
	"testing"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

type wantValue struct {
	q    Quantity
	v    float64
	unit string
}

// TestPublishedExamples decodes example payloads from each format's own
// document; the name says which.
func TestPublishedExamples(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		payload string // whole AD payload
		format  Format
		want    []wantValue
	}{
		{"ruuvi_df5_spec_valid_data", "1bff99040512fc5394c37c0004fffc040cac364200cdcbb8334c884f", FormatRuuviV5, []wantValue{
			{Temperature, 24.3, "Cel"}, {Humidity, 53.49, "%"}, {Pressure, 1000.44, "hPa"},
			{AccelerationX, 0.004 * standardGravity, "m/s2"}, {AccelerationZ, 1.036 * standardGravity, "m/s2"},
			{BatteryVoltage, 2.977, "V"}, {TxPower, 4, "dBm"}, {MovementCount, 66, "1"}, {MeasurementSeq, 205, "1"}}},
		{"ruuvi_df5_spec_minimum_values", "1bff9904058001000000008001800180010000000000cbb8334c884f", FormatRuuviV5, []wantValue{
			{Temperature, -163.835, "Cel"}, {Humidity, 0, "%"}, {Pressure, 500, "hPa"},
			{BatteryVoltage, 1.6, "V"}, {TxPower, -40, "dBm"}}},
		{"ruuvi_df3_spec_valid_data", "11ff990403291a1ece1efc18f94202ca0b53", FormatRuuviV3, []wantValue{
			{Humidity, 20.5, "%"}, {Temperature, 26.3, "Cel"}, {Pressure, 1027.66, "hPa"},
			{AccelerationX, -1 * standardGravity, "m/s2"}, {BatteryVoltage, 2.899, "V"}}},
		{"ruuvi_df3_spec_minimum_values", "11ff99040300ff6300008001800180010000", FormatRuuviV3, []wantValue{
			{Temperature, -127.99, "Cel"}, {Pressure, 500, "hPa"}}},
		{"bthome_format_temperature_humidity_example", "0a16d2fc4002ca0903bf13", FormatBTHomeV2, []wantValue{
			{Temperature, 25.06, "Cel"}, {Humidity, 50.55, "%"}}},
		{"bthome_format_encryption_example", "1216d2fc41a47266c95f730011223378237214", FormatBTHomeV2, []wantValue{
			{Temperature, 25.06, "Cel"}, {Humidity, 50.55, "%"}}},
		{"eddystone_tlm_plain_layout", "0303aafe1116aafe20000bb81980000003e800002710", FormatEddystoneTLM, []wantValue{
			{BatteryVoltage, 3.0, "V"}, {Temperature, 25.5, "Cel"}, {AdvertisingCount, 1000, "1"}, {Uptime, 1000, "s"}}},
		{"atc1441_readme_layout", "10161a18a4c1380283f400a22f5f0bf819", FormatATC1441, []wantValue{
			{Temperature, 16.2, "Cel"}, {Humidity, 47, "%"}, {Battery, 95, "%"}, {BatteryVoltage, 3.064, "V"}}},
		{"pvvx_readme_custom_format", "12161a18f4830238c1a4a9066911b60b58f70d", FormatPVVX, []wantValue{
			{Temperature, 17.05, "Cel"}, {Humidity, 44.57, "%"}, {BatteryVoltage, 2.998, "V"}, {Battery, 88, "%"}}},
		{"gss_heart_rate_measurement_uint8_with_rr", "0716372a10480004", FormatGATT, []wantValue{
			{HeartRate, 72, "/min"}, {RRInterval, 1, "s"}}},
		{"gss_battery_level", "0416192a5a", FormatGATT, []wantValue{{Battery, 90, "%"}}},
		{"gss_temperature", "05166e2a2d09", FormatGATT, []wantValue{{Temperature, 23.49, "Cel"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var r Result
			Decode(mustHex(t, tt.payload), Options{Address: oracleAddr(bthomeBLEAddress), Keys: oracleKeys}, &r)
			if !hasFormat(&r, tt.format) {
				t.Fatalf("format %s not recognised; formats=%v problems=%v", tt.format, r.Formats, r.Problems)
			}
			if len(r.Problems) != 0 {
				t.Errorf("problems: %v", r.Problems)
			}
			for _, w := range tt.want {
				m, ok := r.Measurement(w.q, 0)
				if !ok {
					t.Errorf("%s missing; got %v", w.q, r.Measurements)
					continue
				}
				if math.Abs(m.Value-w.v) > 1e-9+1e-9*math.Abs(w.v) || m.Unit != w.unit {
					t.Errorf("%s = %v %s, want %v %s", w.q, m.Value, m.Unit, w.v, w.unit)
				}
			}
		})
	}
}

// TestRuuviNotAvailableMarkers follows data format 5's "invalid values" example:
// every field holds its marker, so nothing is reported (ble_monitor reports
// nulls instead; we follow the published format and omit them).
func TestRuuviNotAvailableMarkers(t *testing.T) {
	t.Parallel()
	var r Result
	Decode(mustHex(t, "1bff9904058000ffffffff800080008000ffffffffffffffffffffff"), Options{}, &r)
	if !hasFormat(&r, FormatRuuviV5) || len(r.Measurements) != 0 {
		t.Fatalf("formats=%v measurements=%v, want ruuvi with none", r.Formats, r.Measurements)
	}
}

func TestIdentities(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		payload string
		want    Identity
	}{
		// Apple "Proximity Beacon Specification" R1 layout, AirLocate sample UUID.
		{"ibeacon_proximity_beacon_spec", "1aff4c000215e2c56db5dffb48d2b060d0f5a71096e000640001c5",
			Identity{Kind: IdentityIBeacon, UUID: [16]byte(mustHex(t, "e2c56db5dffb48d2b060d0f5a71096e0")), Major: 100, Minor: 1, MeasuredPower: -59}},
		// AltBeacon Protocol Specification v1.0 sample advertisement (Radius Networks, 0x0118).
		{"altbeacon_spec_sample", "1bff1801beac2f234454cf6d4a0fadf2f4911ba9ffa600010002c500",
			Identity{Kind: IdentityAltBeacon, UUID: [16]byte(mustHex(t, "2f234454cf6d4a0fadf2f4911ba9ffa6")), Major: 1, Minor: 2, MeasuredPower: -59}},
		// eddystone-uid/README.md frame layout.
		{"eddystone_uid_spec_layout", "1716aafe00e800010203040506070809aabbccddeeff0000",
			Identity{Kind: IdentityEddystoneUID, MeasuredPower: -24, Namespace: [10]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, Instance: [6]byte{0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}}},
		// eddystone-eid/README.md frame layout.
		{"eddystone_eid_spec_layout", "0d16aafe30e80102030405060708",
			Identity{Kind: IdentityEddystoneEID, MeasuredPower: -24, EID: [8]byte{1, 2, 3, 4, 5, 6, 7, 8}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var r Result
			Decode(mustHex(t, tt.payload), Options{}, &r)
			if len(r.Identities) != 1 || r.Identities[0].Kind != tt.want.Kind {
				t.Fatalf("identities = %+v problems=%v", r.Identities, r.Problems)
			}
			got := r.Identities[0]
			if got.UUID != tt.want.UUID || got.Major != tt.want.Major || got.Minor != tt.want.Minor ||
				got.MeasuredPower != tt.want.MeasuredPower || got.Namespace != tt.want.Namespace ||
				got.Instance != tt.want.Instance || got.EID != tt.want.EID {
				t.Errorf("identity = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestEddystoneURL uses the expansion example of eddystone-url/README.md:
// scheme 0x03 "https://", "goo.gl/S6zT6P".
func TestEddystoneURL(t *testing.T) {
	t.Parallel()
	var r Result
	Decode(mustHex(t, "1316aafe10ba03676f6f2e676c2f53367a543650"), Options{}, &r)
	if len(r.Identities) != 1 || string(r.Identities[0].URL) != "https://goo.gl/S6zT6P" {
		t.Fatalf("identities=%+v problems=%v", r.Identities, r.Problems)
	}
	Decode(mustHex(t, "0c16aafe10ba0067726f6f7600"), Options{}, &r)
	if len(r.Identities) != 1 || string(r.Identities[0].URL) != "http://www.groov.com/" {
		t.Fatalf("expansion: identities=%+v problems=%v", r.Identities, r.Problems)
	}
}

func TestContinuityAndCDPAreIdentified(t *testing.T) {
	t.Parallel()
	var r Result
	// Apple Nearby Info (0x10) as seen from iPhones; Microsoft CDP beacon
	// scenario 1, device type 9 (Windows 10 desktop) per [MS-CDP] 2.2.2.2.2.
	Decode(mustHex(t, "0aff4c001005441cbd08c5"+"0bff0600010920021122334455"), Options{}, &r)
	if len(r.Identifications) != 2 || r.Identifications[0].Name != "nearby_info" || r.Identifications[1].Name != "windows_10_desktop" {
		t.Fatalf("identifications = %+v problems=%v", r.Identifications, r.Problems)
	}
}

func TestEncryptedWithoutKeyIsAProblemNotAPanic(t *testing.T) {
	t.Parallel()
	var r Result
	Decode(mustHex(t, "1216d2fc41a47266c95f730011223378237214"), Options{}, &r)
	if len(r.Problems) != 1 || r.Problems[0].Reason != "encrypted payload and no key configured for this address" {
		t.Fatalf("problems = %v", r.Problems)
	}
	wrong := Keys{oracleAddr(bthomeBLEAddress): [16]byte{1}}
	Decode(mustHex(t, "1216d2fc41a47266c95f730011223378237214"), Options{Address: oracleAddr(bthomeBLEAddress), Keys: wrong}, &r)
	if len(r.Problems) != 1 || len(r.Measurements) != 0 {
		t.Fatalf("wrong key: problems=%v measurements=%v", r.Problems, r.Measurements)
	}
}

// TestCCMNISTExample1 checks the CCM mode against NIST SP 800-38C Appendix C,
// Example 1 (7-byte nonce, 8-byte associated data, 4-byte tag).
func TestCCMNISTExample1(t *testing.T) {
	t.Parallel()
	var r Result
	block := r.cipherFor([16]byte(mustHex(t, "404142434445464748494a4b4c4d4e4f")))
	dst := make([]byte, 4)
	ok := ccmOpen(block, &r.ccm, mustHex(t, "10111213141516"), mustHex(t, "7162015b"), mustHex(t, "4dac255d"), mustHex(t, "0001020304050607"), dst)
	if !ok || hex.EncodeToString(dst) != "20212223" {
		t.Fatalf("ccmOpen = %v, %x; want true, 20212223", ok, dst)
	}
	if ccmOpen(block, &r.ccm, mustHex(t, "10111213141516"), mustHex(t, "7162015b"), mustHex(t, "4dac255e"), mustHex(t, "0001020304050607"), dst) {
		t.Fatal("ccmOpen accepted a corrupted tag")
	}
}
