package decode

// Standard gravity, to turn Ruuvi's milli-g accelerations into m/s2 (BIPM SI
// Brochure, conventional value of gn).
const standardGravity = 9.80665

// decodeRuuvi decodes RuuviTag manufacturer data (company 0x0499), data formats
// 3 (RAWv1) and 5 (RAWv2) as specified at docs.ruuvi.com ("Data format 3",
// "Data format 5").
func decodeRuuvi(d []byte, r *Result) {
	if len(d) < 1 {
		r.problem(FormatRuuviV5, 0, "ruuvi: empty manufacturer data")
		return
	}
	switch d[0] {
	case 0x03:
		decodeRuuviV3(d, r)
	case 0x05:
		decodeRuuviV5(d, r)
	default:
		r.problem(FormatRuuviV5, 0, "ruuvi: unsupported data format")
	}
}

// decodeRuuviV3: humidity in 0.5 %, temperature as sign-and-magnitude integer
// plus hundredths, pressure minus 50000 Pa, acceleration in mG, battery in mV.
func decodeRuuviV3(d []byte, r *Result) {
	const f = FormatRuuviV3
	// The format is 14 bytes; firmware 2.x pads the advertisement with zeros.
	if len(d) < 14 {
		r.problem(f, 0, "data format 3: want 14 bytes")
		return
	}
	r.addFormat(f)
	r.add(f, Humidity, float64(d[1])/2, "%")
	t := float64(d[2]&0x7F) + float64(d[3])/100
	if d[2]&0x80 != 0 {
		t = -t
	}
	r.add(f, Temperature, t, "Cel")
	r.add(f, Pressure, float64(uint32(be16(d[4:]))+50000)/100, "hPa")
	addRuuviAcceleration(f, d[6:12], r)
	r.add(f, BatteryVoltage, float64(be16(d[12:]))/1000, "V")
}

// decodeRuuviV5 follows data format 5, leaving out every field that holds its
// "not available" marker (the format's invalid values) rather than reporting a
// number that no sensor measured.
func decodeRuuviV5(d []byte, r *Result) {
	const f = FormatRuuviV5
	if len(d) != 24 {
		r.problem(f, 0, "data format 5: want 24 bytes")
		return
	}
	r.addFormat(f)
	if t := bes16(d[1:]); t != -0x8000 {
		r.add(f, Temperature, float64(t)*0.005, "Cel")
	}
	if h := be16(d[3:]); h != 0xFFFF {
		r.add(f, Humidity, float64(h)*0.0025, "%")
	}
	if p := be16(d[5:]); p != 0xFFFF {
		r.add(f, Pressure, float64(uint32(p)+50000)/100, "hPa")
	}
	addRuuviAcceleration(f, d[7:13], r)
	power := be16(d[13:])
	if mv := power >> 5; mv != 0x7FF {
		r.add(f, BatteryVoltage, float64(mv+1600)/1000, "V")
	}
	if tx := power & 0x1F; tx != 0x1F {
		r.add(f, TxPower, float64(int(tx)*2-40), "dBm")
	}
	if m := d[15]; m != 0xFF {
		r.add(f, MovementCount, float64(m), "1")
	}
	if s := be16(d[16:]); s != 0xFFFF {
		r.add(f, MeasurementSeq, float64(s), "1")
	}
}

// addRuuviAcceleration adds the three axes in m/s2, skipping the 0x8000 marker.
func addRuuviAcceleration(f Format, b []byte, r *Result) {
	axes := [3]Quantity{AccelerationX, AccelerationY, AccelerationZ}
	for i, q := range axes {
		if mg := bes16(b[2*i:]); mg != -0x8000 {
			r.add(f, q, float64(mg)/1000*standardGravity, "m/s2")
		}
	}
}
