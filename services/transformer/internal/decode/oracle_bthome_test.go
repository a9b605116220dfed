package decode

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bluestream/bluestream/platform/shareddata"
)

type bthomeVector struct {
	Source   string         `json:"source"`
	Payloads []string       `json:"payloads_hex"`
	Expected map[string]any `json:"expected_values"`
}

// bthomeBLEAddress is the address bthome-ble's tests advertise from
// (tests/test_parser_v2.py), which encrypted payloads' nonces use.
const bthomeBLEAddress = "5448E68F80A5"

// bthomeBLEKeys maps bthome-ble's value keys to our quantity and channel.
var bthomeBLEKeys = map[string]keyMapping{
	"KEY_TEMPERATURE": q(Temperature), "KEY_HUMIDITY": q(Humidity), "KEY_PRESSURE": q(Pressure),
	"KEY_ILLUMINANCE": q(Illuminance), "KEY_MASS": q(Mass), "KEY_DEW_POINT": q(DewPoint),
	"KEY_COUNT": q(Count), "KEY_ENERGY": q(Energy), "KEY_POWER": q(Power), "KEY_VOLTAGE": q(Voltage),
	"KEY_PM25": q(PM25), "KEY_PM10": q(PM10), "KEY_CO2": q(CO2), "KEY_VOC": q(TVOC),
	"KEY_MOISTURE": q(Moisture), "KEY_ROTATION": q(Rotation), "KEY_DISTANCE": q(Distance),
	"KEY_DURATION": q(Duration), "KEY_CURRENT": q(Current), "KEY_SPEED": q(Speed),
	"KEY_UV_INDEX": q(UVIndex), "KEY_VOLUME": q(Volume), "KEY_VOLUME_FLOW_RATE": q(VolumeFlowRate),
	"KEY_GAS": q(Gas), "KEY_WATER": q(Water), "KEY_ACCELERATION": q(Acceleration),
	"KEY_GYROSCOPE": q(Gyroscope), "KEY_VOLUME_STORAGE": q(VolumeStorage), "KEY_CONDUCTIVITY": q(Conductivity),
	"KEY_PACKET_ID": q(PacketID), "KEY_BATTERY": q(Battery), "KEY_LIGHT": q(Light),
	"KEY_LIGHT_LEVEL": q(LightLevel), "KEY_BINARY_GENERIC": q(BinaryGeneric),
	"KEY_BINARY_POWER": q(BinaryPower), "KEY_BINARY_OPENING": q(Opening),
	"KEY_BINARY_WINDOW": q(Window), "KEY_BINARY_MOTION": q(Motion), "KEY_TIMESTAMP": q(Timestamp),
	"temperature_1": q(Temperature), "temperature_2": {quantities: []Quantity{Temperature}, channel: 1},
	"temperature_3": {quantities: []Quantity{Temperature}, channel: 2},
	"humidity_1":    q(Humidity), "humidity_2": {quantities: []Quantity{Humidity}, channel: 1},
	"voltage_1": q(Voltage), "voltage_2": {quantities: []Quantity{Voltage}, channel: 1},
	"power": q(Power), "packet_id": q(PacketID), "battery": q(Battery), "direction": q(Direction),
	"precipitation": q(Precipitation), "channel": q(Channel), "rotational_speed": q(RotationalSpeed),
}

// bthomeBLENotCompared are keys that are not readings of the payload: the
// radio's RSSI, and text/raw objects, which carry bytes rather than a quantity.
var bthomeBLENotCompared = map[string]bool{"KEY_SIGNAL_STRENGTH": true, "signal_strength": true, "KEY_TEXT": true, "KEY_RAW": true}

func TestOracleBTHomeBLEVectors(t *testing.T) {
	vectors := readJSONL[bthomeVector](t, shareddata.Path(t, "vectors", "bthome_ble_vectors.jsonl"))
	tally := newTally()
	addr := oracleAddr(bthomeBLEAddress)
	var r Result
	for _, v := range vectors {
		tally.total++
		tally.claimed++
		if len(v.Payloads) != 1 {
			// The peer keeps state across payloads (packet id de-duplication,
			// encryption downgrade detection): not a property of one payload.
			tally.uncovered["several payloads, stateful peer"]++
			continue
		}
		uuid := "d2fc"
		if strings.HasPrefix(v.Source, "test_parser_v1") {
			uuid = "1c18"
		}
		payload, err := hex.DecodeString(fmt.Sprintf("%02x16%s%s", 3+len(v.Payloads[0])/2, uuid, v.Payloads[0]))
		if err != nil {
			t.Fatalf("%s: bad hex: %v", v.Source, err)
		}
		Decode(payload, Options{Address: addr, Keys: oracleKeys}, &r)
		compared := compareBTHomeBLE(t, v, &r)
		if compared == 0 {
			tally.uncovered["no values to compare (events or error handling)"]++
			continue
		}
		tally.covered++
		tally.perFormat[string(r.Formats[0])]++
	}
	report(t, "bthome-ble", tally)
}

func compareBTHomeBLE(t *testing.T, v bthomeVector, r *Result) int {
	t.Helper()
	compared := 0
	for rawKey, want := range v.Expected {
		key := strings.TrimSuffix(strings.TrimPrefix(rawKey, "DeviceKey(key='"), "', device_id=None)")
		if bthomeBLENotCompared[key] {
			continue
		}
		m, ok := bthomeBLEKeys[key]
		if !ok {
			t.Errorf("%s: expected key %q has no mapping in the oracle", v.Source, key)
			continue
		}
		wantF, ok := asFloat(want)
		if s, isString := want.(string); isString && key == "KEY_TIMESTAMP" {
			wantF, ok = pythonDatetimeUnix(t, s), true
		}
		if !ok {
			t.Errorf("%s: %s: cannot compare %v", v.Source, key, want)
			continue
		}
		got, ok := findMeasurement(r, m.quantities, m.channel)
		if !ok {
			t.Errorf("%s: %s: no %v channel %d; got %v problems %v", v.Source, key, m.quantities, m.channel, r.Measurements, r.Problems)
			continue
		}
		if !closeEnough(got.Value, wantF) {
			t.Errorf("%s: %s = %v %s, peer says %v", v.Source, key, got.Value, got.Unit, wantF)
			continue
		}
		compared++
	}
	return compared
}

func findMeasurement(r *Result, qs []Quantity, ch uint8) (Measurement, bool) {
	for _, q := range qs {
		if m, ok := r.Measurement(q, ch); ok {
			return m, true
		}
	}
	return Measurement{}, false
}

// pythonDatetimeUnix reads "datetime(2023, 5, 14, 19, 41, 17, tzinfo=...)".
func pythonDatetimeUnix(t *testing.T, s string) float64 {
	t.Helper()
	var y, mo, d, h, mi, sec int
	if _, err := fmt.Sscanf(s, "datetime(%d, %d, %d, %d, %d, %d,", &y, &mo, &d, &h, &mi, &sec); err != nil {
		t.Fatalf("parsing peer datetime %q: %v", s, err)
	}
	return float64(time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC).Unix())
}
