package decode

// decodeQingping decodes Qingping (ClearGrass) service data, UUID 0xFDCD: frame
// control, device type, the device address (6 bytes) and then type-length-value
// readings. Qingping publishes no document; the layout is the one the public
// Home Assistant integrations (ble_monitor, qingping-ble) decode.
func decodeQingping(d []byte, r *Result) {
	const f = FormatQingping
	if len(d) < 8 {
		r.problem(f, 0, "qingping: shorter than header and address")
		return
	}
	r.addFormat(f)
	for off := 8; off < len(d); {
		if off+2 > len(d) || off+2+int(d[off+1]) > len(d) {
			r.problem(f, off, "qingping: reading runs past the end")
			return
		}
		typ, v := d[off], d[off+2:off+2+int(d[off+1])]
		if !addQingping(typ, v, r) {
			r.problem(f, off, "qingping: reading has the wrong size for its type")
		}
		off += 2 + len(v)
	}
}

// addQingping adds one reading and reports whether its size fit its type.
// Unknown types are skipped.
func addQingping(typ byte, v []byte, r *Result) bool {
	const f = FormatQingping
	switch typ {
	case 0x01: // temperature (0.1 Cel) and humidity (0.1 %)
		if len(v) != 4 {
			return false
		}
		r.add(f, Temperature, float64(les16(v))/10, "Cel")
		r.add(f, Humidity, float64(le16(v[2:]))/10, "%")
	case 0x02:
		if len(v) != 1 {
			return false
		}
		r.add(f, Battery, float64(v[0]), "%")
	case 0x07: // pressure, 0.1 hPa
		if len(v) != 2 {
			return false
		}
		r.add(f, Pressure, float64(le16(v))/10, "hPa")
	case 0x08: // motion state, then illuminance (lx, 24 bit)
		if len(v) != 4 {
			return false
		}
		r.add(f, Motion, float64(v[0]), "1")
		r.add(f, Illuminance, float64(leUint(v[1:4])), "lx")
	case 0x09:
		if len(v) != 4 {
			return false
		}
		r.add(f, Illuminance, float64(leUint(v)), "lx")
	case 0x0F:
		if len(v) != 1 {
			return false
		}
		r.add(f, PacketID, float64(v[0]), "1")
	case 0x11:
		if len(v) != 1 {
			return false
		}
		r.add(f, Light, float64(v[0]), "1")
	case 0x12: // PM2.5 then PM10, ug/m3
		if len(v) != 4 {
			return false
		}
		r.add(f, PM25, float64(le16(v)), "ug/m3")
		r.add(f, PM10, float64(le16(v[2:])), "ug/m3")
	case 0x13:
		if len(v) != 2 {
			return false
		}
		r.add(f, CO2, float64(le16(v)), "[ppm]")
	}
	return true
}
