package decode

import "math"

// decodeGATT reads standard GATT characteristic values that devices put in
// service data under a service or characteristic UUID (GATT Specification
// Supplement, GSS v10: Battery Level 3.27, Temperature 3.218, Humidity 3.124,
// Pressure 3.181, Heart Rate Measurement 3.113, Temperature Measurement 3.216).
func decodeGATT(u uint16, d []byte, r *Result) {
	const f = FormatGATT
	switch u {
	case 0x180F, 0x2A19: // Battery service / Battery Level: uint8 percent
		if len(d) == 1 && d[0] <= 100 {
			r.addFormat(f)
			r.add(f, Battery, float64(d[0]), "%")
		}
	case 0x2A6E: // Temperature: sint16, 0.01 Cel; 0x8000 unknown
		if len(d) == 2 && les16(d) != -0x8000 {
			r.addFormat(f)
			r.add(f, Temperature, float64(les16(d))/100, "Cel")
		}
	case 0x2A6F: // Humidity: uint16, 0.01 %; 0xFFFF unknown
		if len(d) == 2 && le16(d) != 0xFFFF {
			r.addFormat(f)
			r.add(f, Humidity, float64(le16(d))/100, "%")
		}
	case 0x2A6D: // Pressure: uint32, 0.1 Pa
		if len(d) == 4 {
			r.addFormat(f)
			r.add(f, Pressure, float64(leUint(d))/1000, "hPa")
		}
	case 0x180D, 0x2A37:
		decodeHeartRate(d, r)
	case 0x1809, 0x2A1C:
		decodeTemperatureMeasurement(d, r)
	}
}

// decodeHeartRate reads Heart Rate Measurement: flags, heart rate (uint8 or
// uint16), optional energy expended (kJ), optional RR intervals in 1/1024 s.
func decodeHeartRate(d []byte, r *Result) {
	const f = FormatGATT
	if len(d) < 2 {
		r.problem(f, 0, "heart rate measurement: shorter than flags and value")
		return
	}
	flags, off := d[0], 1
	var bpm uint16
	if flags&0x01 != 0 {
		if len(d) < 3 {
			r.problem(f, 1, "heart rate measurement: 16-bit value cut short")
			return
		}
		bpm, off = le16(d[1:]), 3
	} else {
		bpm, off = uint16(d[1]), 2
	}
	r.addFormat(f)
	r.add(f, HeartRate, float64(bpm), "/min")
	if flags&0x08 != 0 {
		if off+2 > len(d) {
			r.problem(f, off, "heart rate measurement: energy expended cut short")
			return
		}
		r.add(f, EnergyExpended, float64(le16(d[off:])), "kJ")
		off += 2
	}
	if flags&0x10 != 0 {
		for ch := uint8(0); off+2 <= len(d); off += 2 {
			r.addChannel(f, RRInterval, float64(le16(d[off:]))/1024, "s", ch)
			ch++
		}
	}
}

// decodeTemperatureMeasurement reads Temperature Measurement: flags (bit 0:
// Fahrenheit) and an IEEE 11073-20601 32-bit FLOAT.
func decodeTemperatureMeasurement(d []byte, r *Result) {
	const f = FormatGATT
	if len(d) < 5 {
		r.problem(f, 0, "temperature measurement: shorter than flags and value")
		return
	}
	v, ok := ieee11073Float(uint32(leUint(d[1:5])))
	if !ok {
		return
	}
	r.addFormat(f)
	if d[0]&0x01 != 0 {
		r.add(f, Temperature, v, "[degF]")
	} else {
		r.add(f, Temperature, v, "Cel")
	}
}

// ieee11073Float converts a 32-bit FLOAT (8-bit signed exponent, 24-bit signed
// mantissa). The reserved mantissas (NaN, NRes, +/-INFINITY) give false.
func ieee11073Float(raw uint32) (float64, bool) {
	mantissa := int32(raw<<8) >> 8
	exponent := int8(raw >> 24)
	switch raw & 0xFFFFFF {
	case 0x7FFFFF, 0x800000, 0x7FFFFE, 0x800002, 0x800001:
		return 0, false
	}
	return float64(mantissa) * math.Pow10(int(exponent)), true
}
