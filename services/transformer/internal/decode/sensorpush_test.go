package decode

import "testing"

// sensorPushV2UUID is the v2 service UUID as a complete 128-bit list structure.
const sensorPushV2UUID = "1106b00a09ecd79db893ba42d611000009ef"

// TestSensorPushVectors decodes ble_monitor's SensorPush vectors
// (test_sensorpush_parser.py) and sensorpush-ble's HT.w examples
// (tests/test_parser.py, test_ht_w and test_ht_w_page_zero_data_first, there
// given as company id and data); the peers round to 0.01, we keep the
// format's 0.0025 steps.
func TestSensorPushVectors(t *testing.T) {
	t.Parallel()
	tests := []formatCase{
		{"ble_monitor_HTw", "020106" + sensorPushV2UUID + "06ff04e9187d39",
			[]chValue{{Temperature, 0, 27.69, "Cel"}, {Humidity, 0, 36.5325, "%"}}},
		{"ble_monitor_HTPxw", "020106" + sensorPushV2UUID + "08ff0089e456bea6b4",
			[]chValue{{Temperature, 0, 22.6625, "Cel"}, {Humidity, 0, 46.0675, "%"}, {Pressure, 0, 989.65, "hPa"}}},
		{"sensorpush_ble_ht_w", sensorPushV2UUID + "06ff049ac9a546",
			[]chValue{{Temperature, 0, 20.53, "Cel"}, {Humidity, 0, 44.895, "%"}}},
		{"sensorpush_ble_ht_w_page_zero", sensorPushV2UUID + "06ff0475536446",
			[]chValue{{Temperature, 0, 20.48, "Cel"}, {Humidity, 0, 44.7325, "%"}}},
		// HT1: raw humidity 1952 and temperature 6700 with the model marker,
		// placed as protocol.md "HT1" lays them out; values from the SHT21
		// datasheet formulas.
		{"ht1_protocol_layout", "1106a90a09ecd79db893ba42d611000009ef" + "05ffa0c7a205",
			[]chValue{{Temperature, 0, -46.85 + 175.72*6700.0/16384, "Cel"}, {Humidity, 0, -6 + 125*1952.0/4096, "%"}}},
	}
	checkFormatCases(t, FormatSensorPush, tests)
}

// TestSensorPushPagesAndLimits: the static page 3 frame is recognised but holds
// no readings; a packed value beyond the type's value space, an unknown type
// and data without the service UUID give no readings.
func TestSensorPushPagesAndLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		payload     string
		wantFormat  bool
		wantProblem bool
	}{
		// protocol.md "Pages": the HT.w page 3 payload 07 2c fe 00 01.
		{"ht_w_page_3", sensorPushV2UUID + "06ff072cfe0001", true, false},
		{"ht_w_beyond_value_space", sensorPushV2UUID + "06ff04ffffffff", false, true},
		{"unknown_device_type", sensorPushV2UUID + "06ff7cffffffff", false, true},
		{"htp_xw_cut_short", sensorPushV2UUID + "06ff0089e456be", false, true},
		{"no_service_uuid", "06ff04e9187d39", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var r Result
			Decode(mustHex(t, tt.payload), Options{}, &r)
			for _, m := range r.Measurements {
				if m.Format == FormatSensorPush {
					t.Errorf("unexpected measurement %+v", m)
				}
			}
			if hasFormat(&r, FormatSensorPush) != tt.wantFormat {
				t.Errorf("formats %v, want sensorpush: %v", r.Formats, tt.wantFormat)
			}
			if got := len(r.Problems) > 0; got != tt.wantProblem {
				t.Errorf("problems %v, want some: %v", r.Problems, tt.wantProblem)
			}
		})
	}
}
