package decode

import (
	"math"
	"testing"
)

// chValue is an expected measurement on a channel.
type chValue struct {
	q    Quantity
	ch   uint8
	v    float64
	unit string
}

// checkFormatMeasurements fails unless r holds exactly want for format f: a
// value the format must leave out (an unplugged probe) counts as a failure.
// formatCase is a payload and the values one format must read from it.
type formatCase struct {
	name    string
	payload string
	want    []chValue
}

// checkFormatCases decodes each case's payload and checks f read exactly its
// values, without problems.
func checkFormatCases(t *testing.T, f Format, cases []formatCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var r Result
			Decode(mustHex(t, tt.payload), Options{}, &r)
			if len(r.Problems) != 0 {
				t.Errorf("problems: %v", r.Problems)
			}
			checkFormatMeasurements(t, &r, f, tt.want)
		})
	}
}

func checkFormatMeasurements(t *testing.T, r *Result, f Format, want []chValue) {
	t.Helper()
	if !hasFormat(r, f) {
		t.Fatalf("format %s not recognised; formats=%v problems=%v", f, r.Formats, r.Problems)
	}
	got := 0
	for _, m := range r.Measurements {
		if m.Format == f {
			got++
		}
	}
	if got != len(want) {
		t.Errorf("%d %s measurements, want %d: %+v", got, f, len(want), r.Measurements)
	}
	for _, w := range want {
		m, ok := r.Measurement(w.q, w.ch)
		if !ok {
			t.Errorf("%s channel %d missing; got %+v", w.q, w.ch, r.Measurements)
			continue
		}
		if math.Abs(m.Value-w.v) > 1e-9 || m.Unit != w.unit || m.Format != f {
			t.Errorf("%s channel %d = %v %s (%s), want %v %s", w.q, w.ch, m.Value, m.Unit, m.Format, w.v, w.unit)
		}
	}
}

// TestGoveeVectors decodes the advertising data of ble_monitor's Govee test
// vectors (test_govee_parser.py) and expects that project's values, with the
// channels we report them on: 0 for a device's own sensor, n for probe n,
// 1 for the H5178's outdoor unit. Meat thermometers' 0xFFFF markers must not
// appear as values.
func TestGoveeVectors(t *testing.T) {
	t.Parallel()
	const (
		cel = "Cel"
		pct = "%"
	)
	tests := []formatCase{
		{"H5051", "0cff88ec00ba0af90f63020101", []chValue{{Temperature, 0, 27.46, cel}, {Humidity, 0, 40.89, pct}, {Battery, 0, 99, pct}}},
		{"H5074", "0aff88ec0088078c116402", []chValue{{Temperature, 0, 19.28, cel}, {Humidity, 0, 44.92, pct}, {Battery, 0, 100, pct}}},
		{"H5102", "0d09475648353130325f43423942030388ec02010509ff0100010103cb0164",
			[]chValue{{Temperature, 0, 24.8, cel}, {Humidity, 0, 57.7, pct}, {Battery, 0, 100, pct}}},
		{"H5075", "0d09475648353037355f43423942030388ec02010509ff88ec0003215d6400",
			[]chValue{{Temperature, 0, 20.5, cel}, {Humidity, 0, 14.9, pct}, {Battery, 0, 100, pct}}},
		{"H5075_negative_temp", "0d09475648353037355f43423942030388ec02010509ff88ec0081c2896400",
			[]chValue{{Temperature, 0, -11.5, cel}, {Humidity, 0, 33.7, pct}, {Battery, 0, 100, pct}}},
		{"H5075_double", "0d09475648353037355f36433131030388ec02010509ff88ec00012d6e64001aff4c000215494e54454c4c495f524f434b535f48575075f2ffc2",
			[]chValue{{Temperature, 0, 7.7, cel}, {Humidity, 0, 16.6, pct}, {Battery, 0, 100, pct}}},
		{"H5106", "0201060d09475648353130365f34423939030388ec09ff010001010deeaa6f1aff4c000215494e54454c4c495f524f434b535f48575075f2ff0c",
			[]chValue{{Temperature, 0, 23.3, cel}, {Humidity, 0, 74.5, pct}, {PM25, 0, 7, "ug/m3"}}},
		{"H5178_sensor_0", "0a09423531373843353435030388ec0201050cff010001010003a00f640000",
			[]chValue{{Temperature, 0, 23.7, cel}, {Humidity, 0, 58.3, pct}, {Battery, 0, 100, pct}}},
		{"H5178_sensor_1", "0a09423531373843353435030388ec0201050cff010001010102fc87640002",
			[]chValue{{Temperature, 1, 19.5, cel}, {Humidity, 1, 71.9, pct}, {Battery, 1, 100, pct}}},
		{"H5179", "0cff0188ec000101a00aa2175b", []chValue{{Temperature, 0, 27.2, cel}, {Humidity, 0, 60.5, pct}, {Battery, 0, 91, pct}}},
		{"H5182", "0201060303518214ff30554401000101e401860834ffff860960ffff",
			[]chValue{{Temperature, 1, 21, cel}, {Temperature, 2, 24, cel}}},
		{"H5182_alarm", "0201060303518214ff30554401000101e4018608341cdc8609602249",
			[]chValue{{Temperature, 1, 21, cel}, {TemperatureAlarmHigh, 1, 73.88, cel}, {Temperature, 2, 24, cel}, {TemperatureAlarmHigh, 2, 87.77, cel}}},
		{"H5183", "0303518302010511ff5da1b401000101e400800a2813240000000000000000",
			[]chValue{{Temperature, 1, 26, cel}, {TemperatureAlarmHigh, 1, 49, cel}}},
		{"H5184", "0201060303518414ff30584001000101e401460a28ffff460960ffff1aff4c000215494e54454c4c49f5f24f43fb535f48575075f2ff0c00000000000000",
			[]chValue{{Temperature, 1, 26, cel}, {Temperature, 2, 24, cel}}},
		{"H5185", "0201060303518517ff32490a01000101e4c1ff0960ffffffff0a28ffffffff",
			[]chValue{{Temperature, 1, 24, cel}, {Temperature, 2, 26, cel}}},
		{"H5185_alarm", "0201060303518517ff32490a01000101e4c19609c41bbcffff0a282474ffff",
			[]chValue{{Temperature, 1, 25, cel}, {TemperatureAlarmHigh, 1, 71, cel}, {Temperature, 2, 26, cel}, {TemperatureAlarmHigh, 2, 93.32, cel}}},
		{"H5198", "0201060303519817ff30226c01000101c0010fffff1ce8ffffffff189cffff1aff4c000215494e54454c4c495f524f434b535f48575075f2ff0c00000000",
			[]chValue{{TemperatureAlarmHigh, 1, 74, cel}, {TemperatureAlarmHigh, 2, 63, cel}}},
		// The H5055 and H5191 vectors leave out the model UUID that the devices
		// advertise (ble_monitor #1395, #1474 logs); here it is put back in front.
		{"H5055_with_uuid", "03035055" + "02010617ff1cea3500644120ffffffffffff203200ffffffff0000",
			[]chValue{{Battery, 0, 100, pct}, {Temperature, 4, 50, cel}}},
		{"H5191_with_uuid", "03035191" + "17ff63ac83010001014c5d040fa01324ffff0af0ffffffff",
			[]chValue{{Temperature, 1, 40, cel}, {TemperatureAlarmHigh, 1, 49, cel}, {Temperature, 0, 28, cel}}},
		// H5184 reporting its second pair: the selector 02 moves the readings to probes 3 and 4.
		{"H5184_probes_3_4", "0201060303518414ff30584001000101e402460a28ffff460960ffff",
			[]chValue{{Temperature, 3, 26, cel}, {Temperature, 4, 24, cel}}},
	}
	checkFormatCases(t, FormatGovee, tests)
}

// TestGoveeRefusesWhatItCannotTellApart covers advertisements whose model, and
// so layout, is unknown: each must yield no Govee values.
func TestGoveeRefusesWhatItCannotTellApart(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		payload     string
		wantProblem bool
	}{
		// H5106 data without its local name could as well be an H5102's.
		{"h5106_without_name", "030388ec09ff010001010deeaa6f", true},
		{"h5102_without_name", "030388ec09ff0100010103cb0164", true},
		// 0x0001 is Nokia's identifier: without Govee's service UUID it is not Govee.
		{"company_0001_without_govee_uuid", "0d09475648353130325f4342394209ff0100010103cb0164", false},
		// The vectors as published: no model UUID, so no layout.
		{"h5055_without_uuid", "02010617ff1cea3500644120ffffffffffff203200ffffffff0000", false},
		{"h5191_without_uuid", "17ff63ac83010001014c5d040fa01324ffff0af0ffffffff", false},
		// H5182 has two probes: a selector naming probes 3 and 4 is wrong.
		{"h5182_second_pair", "0201060303518214ff30554401000101e402860834ffff860960ffff", true},
		{"h5183_uuid_wrong_length", "0303518309ff5da1b401000101e4", true},
		{"h5178_unknown_sensor", "030388ec0cff010001010203a00f640000", true},
		{"ec88_unknown_length", "030388ec05ff88ec0001", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var r Result
			Decode(mustHex(t, tt.payload), Options{}, &r)
			for _, m := range r.Measurements {
				if m.Format == FormatGovee {
					t.Errorf("govee measurement %+v from an advertisement it cannot tell apart", m)
				}
			}
			if got := len(r.Problems) > 0; got != tt.wantProblem {
				t.Errorf("problems %v, want some: %v", r.Problems, tt.wantProblem)
			}
		})
	}
}
