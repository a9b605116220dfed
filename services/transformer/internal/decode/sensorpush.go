package decode

import "github.com/bluestream/bluestream/services/transformer/internal/adstruct"

// SensorPush publishes a GATT API but no advertisement format. The layout here
// is the one documented in Bluetooth-Devices/sensorpush-ble docs/source/
// protocol.md ("Advertisement format"): the company identifier field carries
// the first two payload bytes, so the payload is the identifier (little-endian)
// followed by the manufacturer data, and the device is recognised by the
// 128-bit service UUID it advertises beside it. Battery is not advertised.

var (
	uuidSensorPushV2  = adstruct.UUID{0xef, 0x09, 0x00, 0x00, 0x11, 0xd6, 0x42, 0xba, 0x93, 0xb8, 0x9d, 0xd7, 0xec, 0x09, 0x0a, 0xb0}
	uuidSensorPushHT1 = adstruct.UUID{0xef, 0x09, 0x00, 0x00, 0x11, 0xd6, 0x42, 0xba, 0x93, 0xb8, 0x9d, 0xd7, 0xec, 0x09, 0x0a, 0xa9}
)

// sensorPushField is one field of the packed value: count consecutive values
// from min in steps of step, in the unit the measurement is reported in.
type sensorPushField struct {
	q         Quantity
	unit      string
	min, step float64
	count     uint64
}

// sensorPushModel is a v2 device type (64 + the header's top six bits) with the
// payload lengths it is seen with and its fields, least significant first.
type sensorPushModel struct {
	typ            uint8
	minLen, maxLen int
	fields         []sensorPushField
}

var (
	sensorPushTemperatureHTP = sensorPushField{Temperature, "Cel", -40, 0.0025, 72001}
	sensorPushTemperatureHT  = sensorPushField{Temperature, "Cel", -40, 0.0025, 66001}
	sensorPushHumidity       = sensorPushField{Humidity, "%", 0, 0.0025, 40001}
	// 30000 to 125000 Pa in 1 Pa steps, reported in hPa.
	sensorPushPressure    = sensorPushField{Pressure, "hPa", 300, 0.01, 95001}
	sensorPushTemperature = sensorPushField{Temperature, "Cel", -200, 0.0625, 32001}

	sensorPushModels = [...]sensorPushModel{
		{typ: 64, minLen: 7, maxLen: 7, fields: []sensorPushField{sensorPushTemperatureHTP, sensorPushHumidity, sensorPushPressure}}, // HTP.xw
		{typ: 65, minLen: 5, maxLen: 5, fields: []sensorPushField{sensorPushTemperatureHT, sensorPushHumidity}},                      // HT.w
		// TC.x: no capture from hardware yet; the document accepts 4 or 5 bytes.
		{typ: 66, minLen: 4, maxLen: 5, fields: []sensorPushField{sensorPushTemperature}},
	}
)

// decodeSensorPush decodes md when the advertisement carries a SensorPush
// service UUID, and reports whether it did.
func decodeSensorPush(md adstruct.ManufacturerData, r *Result) bool {
	if md.CompanyID == companyApple {
		return false // the HT1's iBeacon frame holds no readings
	}
	var p [8]byte
	p[0], p[1] = byte(md.CompanyID), byte(md.CompanyID>>8)
	n := 2 + copy(p[2:], md.Data)
	switch {
	case advertisesUUID(r, uuidSensorPushV2):
		decodeSensorPushV2(p[:n], len(md.Data), r)
	case advertisesUUID(r, uuidSensorPushHT1):
		decodeSensorPushHT1(p[:n], len(md.Data), r)
	default:
		return false
	}
	return true
}

// decodeSensorPushV2: a header byte (page in bits 0-1, device type index in
// bits 2-7), then the fields packed in mixed radix into one little-endian
// integer. Only page 0 holds readings; page 3 is a static frame of unknown
// meaning. dataLen is the real data length, since p is cut at 8 bytes.
func decodeSensorPushV2(p []byte, dataLen int, r *Result) {
	const f = FormatSensorPush
	typ := 64 + p[0]>>2
	var m *sensorPushModel
	for i := range sensorPushModels {
		if sensorPushModels[i].typ == typ {
			m = &sensorPushModels[i]
		}
	}
	switch {
	case m == nil:
		r.problem(f, -2, "sensorpush: unknown device type")
	case 2+dataLen < m.minLen || 2+dataLen > m.maxLen:
		r.problem(f, 0, "sensorpush: payload length does not fit its device type")
	case p[0]&0x03 != 0:
		r.addFormat(f)
	default:
		addSensorPushFields(m.fields, leUint(p[1:]), r)
	}
}

// addSensorPushFields unpacks the mixed-radix value. A value beyond what the
// fields can encode would wrap into a plausible reading, so it is refused.
func addSensorPushFields(fields []sensorPushField, packed uint64, r *Result) {
	const f = FormatSensorPush
	space := uint64(1)
	for _, fl := range fields {
		space *= fl.count
	}
	if packed >= space {
		r.problem(f, -1, "sensorpush: packed value outside what its device type encodes")
		return
	}
	r.addFormat(f)
	for _, fl := range fields {
		r.add(f, fl.q, fl.min+float64(packed%fl.count)*fl.step, fl.unit)
		packed /= fl.count
	}
}

// decodeSensorPushHT1: four payload bytes holding the SHT2x sensor's raw
// 12-bit humidity and 14-bit temperature and a model marker, converted with the
// Sensirion SHT21 datasheet formulas (section 6, "Conversion of Signal Output").
func decodeSensorPushHT1(p []byte, dataLen int, r *Result) {
	const f = FormatSensorPush
	if dataLen != 2 {
		r.problem(f, 0, "sensorpush: HT1 data is not 2 bytes")
		return
	}
	if (p[3]&0x7C)>>2 != 1 {
		r.problem(f, 1, "sensorpush: HT1 model marker missing")
		return
	}
	rh := uint32(p[0]) | uint32(p[1]&0x0F)<<8
	t := uint32(p[1])>>4 | uint32(p[2])<<4 | uint32(p[3]&0x03)<<12
	r.addFormat(f)
	r.add(f, Temperature, -46.85+175.72*float64(t)/(1<<14), "Cel")
	r.add(f, Humidity, -6+125*float64(rh)/(1<<12), "%")
}

func advertisesUUID(r *Result, u adstruct.UUID) bool {
	for _, s := range r.AD.ServiceUUIDs {
		if s == u {
			return true
		}
	}
	return false
}
