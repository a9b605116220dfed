package decode

import "encoding/hex"

// firmwareClaim ties a peer's firmware name to the format that must decode it,
// plus keys that the peer derives for that firmware rather than reads.
type firmwareClaim struct {
	format Format
	skip   map[string]bool
}

var claimedFirmware = map[string]firmwareClaim{
	"BTHome V2":             {format: FormatBTHomeV2},
	"BTHome V2 (encrypted)": {format: FormatBTHomeV2},
	"BTHome V1":             {format: FormatBTHomeV1},
	"BTHome V1 (encrypted)": {format: FormatBTHomeV1},
	"ATC (Atc1441)":         {format: FormatATC1441},
	"ATC (Custom)":          {format: FormatPVVX},
	"iBeacon":               {format: FormatIBeacon, skip: map[string]bool{
		// ble_monitor reads Cypress beacon firmware's packing of major/minor
		// as temperature and humidity; that is a device-specific guess, not iBeacon.
		"cypress temperature": true, "cypress humidity": true,
	}},
	"AltBeacon": {format: FormatAltBeacon},
	// Ruuvi: the peer derives a battery percentage and an acceleration magnitude,
	// and "motion" from movement counter changes; none is in the published
	// formats. Where peers disagree on "not available" markers we follow the
	// Ruuvi data format 5 document and omit the value.
	"Ruuvitag V3": {format: FormatRuuviV3, skip: map[string]bool{"battery": true, "acceleration": true}},
	"Ruuvitag V5": {format: FormatRuuviV5, skip: map[string]bool{"battery": true, "acceleration": true, "motion": true, "motion timer": true}},
}

// skippedKeys are metadata, not readings: the peer's own labels, the radio's
// RSSI and MAC (not part of the payload) and its packet counters, whose meaning
// varies per format and which we report as packet_id only where the format
// defines one.
var skippedKeys = map[string]bool{
	"firmware": true, "type": true, "mac": true, "rssi": true, "packet": true,
	"manufacturer": true, "tracker_id": true, "data": true,
	"button": true, "dimmer": true, // event names, compared through their numeric forms below
}

// identityKeys are compared against the decoded Identity.
var identityKeys = map[string]struct{}{"uuid": {}, "major": {}, "minor": {}, "measured power": {}}

// keyMapping maps a peer key to our quantities (first match wins) and converts
// the peer's value to our unit.
type keyMapping struct {
	quantities []Quantity
	channel    uint8
	scale      float64 // multiply the peer's value by this; 0 means 1
}

func (m keyMapping) convert(v float64) float64 {
	if m.scale == 0 {
		return v
	}
	return v * m.scale
}

func q(qs ...Quantity) keyMapping { return keyMapping{quantities: qs} }

// milliGToMS2 turns ble_monitor's Ruuvi accelerations (mG) into m/s2.
const milliGToMS2 = standardGravity / 1000

var keyMeasurements = map[string]keyMapping{
	"temperature": q(Temperature), "humidity": q(Humidity), "battery": q(Battery),
	"voltage": q(Voltage, BatteryVoltage), "pressure": q(Pressure), "illuminance": q(Illuminance),
	"weight": q(Mass), "dewpoint": q(DewPoint), "energy": q(Energy), "power": q(Power),
	"pm2.5": q(PM25), "pm10": q(PM10), "co2": q(CO2), "tvoc": q(TVOC), "moisture": q(Moisture),
	"count": q(Count), "volume": q(Volume), "gas": q(Gas), "rotation": q(Rotation),
	"distance mm": q(Distance), "distance": q(Distance), "duration": q(Duration), "current": q(Current),
	"speed": q(Speed), "uv index": q(UVIndex), "volume mL": q(Volume), "volume flow rate": q(VolumeFlowRate),
	"water": q(Water), "timestamp": q(Timestamp), "acceleration": q(Acceleration), "gyroscope": q(Gyroscope),
	"steps": q(DimmerSteps), "tx power": q(TxPower),
	"acceleration x": {quantities: []Quantity{AccelerationX}, scale: milliGToMS2},
	"acceleration y": {quantities: []Quantity{AccelerationY}, scale: milliGToMS2},
	"acceleration z": {quantities: []Quantity{AccelerationZ}, scale: milliGToMS2},
	"binary": q(BinaryGeneric), "switch": q(BinaryPower), "opening": q(Opening),
	"battery low": q(BatteryLow), "battery charging": q(BatteryCharging), "carbon monoxide": q(CarbonMonoxide),
	"cold": q(Cold), "connectivity": q(Connectivity), "door": q(Door), "garage door": q(GarageDoor),
	"gas detected": q(GasDetected), "heat": q(Heat), "light": q(Light), "lock": q(Lock),
	"moisture detected": q(MoistureDetected), "motion": q(Motion), "moving": q(Moving),
	"occupancy": q(Occupancy), "plug": q(Plug), "presence": q(Presence), "problem": q(Problem),
	"running": q(Running), "safety": q(Safety), "smoke": q(Smoke), "sound": q(Sound),
	"tamper": q(Tamper), "vibration": q(Vibration), "window": q(Window),
	"text": {}, // text objects carry no quantity; an empty mapping never matches and is skipped below
}

// oracleKeys are the bind keys the peers' tests use, published in their test
// files (ble_monitor test_bthome_v2.py and bthome-ble tests/test_parser_v2.py).
var oracleKeys = Keys{
	oracleAddr("5448E68F80A5"): mustKey("231d39c1d7cc1ab1aee224cd096db932"),
}

func mustKey(s string) [16]byte {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 16 {
		panic("oracle key " + s + " is not 16 hex bytes")
	}
	return [16]byte(b)
}
