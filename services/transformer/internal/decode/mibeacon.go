package decode

import "math"

// Xiaomi MiBeacon frame control bits (Xiaomi IoT developer documentation,
// "BLE Object definition" and "MiBeacon"; the public ble_monitor and
// xiaomi-ble projects document the same layout).
const (
	miEncrypted       = 1 << 3
	miMACIncluded     = 1 << 4
	miCapIncluded     = 1 << 5
	miObjectIncluded  = 1 << 6
	miCapIOCapability = 0x20 // capability byte: 2 bytes of I/O capability follow
)

var miAAD = [1]byte{0x11}

// miObjectSizes are the value sizes of the object ids decoded here.
var miObjectSizes = map[uint16]int{0x1004: 2, 0x1006: 2, 0x100A: 1, 0x100D: 4, 0x1007: 3, 0x1008: 1,
	0x1009: 2, 0x1014: 1, 0x1015: 1, 0x000F: 3, 0x4803: 1, 0x4c01: 4, 0x4c02: 1, 0x4c08: 4, 0x4a08: 4,
	0x0003: 1, 0x4c03: 1, 0x5403: 1, 0x4818: 2}

// decodeMiBeacon decodes MiBeacon service data (UUID 0xFE95). Versions 2 and 3
// with encryption use a legacy cipher with a 12-byte key and are reported as
// problems; versions 4 and 5 use AES-CCM with the device's bind key.
func decodeMiBeacon(d []byte, opts *Options, r *Result) {
	const f = FormatMiBeacon
	if len(d) < 5 {
		r.problem(f, 0, "mibeacon: shorter than frame control, product id and counter")
		return
	}
	fc, product, counter := le16(d), d[2:4], d[4]
	version := fc >> 12
	off := 5
	addr := opts.Address
	if fc&miMACIncluded != 0 {
		if len(d) < off+6 {
			r.problem(f, off, "mibeacon: address flag set but address cut short")
			return
		}
		for i := range 6 {
			addr[i] = d[off+5-i]
		}
		off += 6
	}
	if fc&miCapIncluded != 0 {
		if len(d) < off+1 {
			r.problem(f, off, "mibeacon: capability flag set but capability missing")
			return
		}
		if d[off]&miCapIOCapability != 0 && version >= 4 {
			off += 2
		}
		off++
	}
	r.addFormat(f)
	if fc&miObjectIncluded == 0 || off > len(d) {
		return
	}
	objects := d[off:]
	if fc&miEncrypted != 0 {
		if version < 4 {
			r.problem(f, off, "mibeacon: legacy (v2/v3) encryption is not supported")
			return
		}
		var ok bool
		if objects, ok = openMiBeacon(objects, addr, product, counter, opts, r); !ok {
			return
		}
	}
	decodeMiObjects(objects, r)
}

// openMiBeacon decrypts v4/v5 objects: ciphertext, a 3-byte extended counter and
// a 4-byte MIC; the nonce is the address (little-endian), product id, frame
// counter and extended counter.
func openMiBeacon(b []byte, addr [6]byte, product []byte, counter byte, opts *Options, r *Result) ([]byte, bool) {
	const f = FormatMiBeacon
	key, ok := opts.key()
	if !ok {
		r.problem(f, 0, "mibeacon: encrypted payload and no bind key configured for this address")
		return nil, false
	}
	if len(b) < 3+4 {
		r.problem(f, 0, "mibeacon: encrypted payload shorter than counter and MIC")
		return nil, false
	}
	var nonce [12]byte
	for i := range 6 {
		nonce[i] = addr[5-i]
	}
	nonce[6], nonce[7], nonce[8] = product[0], product[1], counter
	copy(nonce[9:], b[len(b)-7:len(b)-4])
	ciphertext := b[:len(b)-7]
	plain := r.grabScratch(len(ciphertext))
	if !ccmOpen(r.cipherFor(key), &r.ccm, nonce[:], ciphertext, b[len(b)-4:], miAAD[:], plain) {
		r.problem(f, len(b)-4, "mibeacon: MIC does not match: wrong bind key or corrupted payload")
		return nil, false
	}
	return plain, true
}

// decodeMiObjects reads the object list: 16-bit id, length, value.
func decodeMiObjects(b []byte, r *Result) {
	for off := 0; off < len(b); {
		if off+3 > len(b) || off+3+int(b[off+2]) > len(b) {
			r.problem(FormatMiBeacon, off, "mibeacon: object runs past the end")
			return
		}
		id, v := le16(b[off:]), b[off+3:off+3+int(b[off+2])]
		if !addMiObject(id, v, r) {
			r.problem(FormatMiBeacon, off, "mibeacon: object value has the wrong size for its id")
		}
		off += 3 + len(v)
	}
}

// addMiObject adds the measurements of one object and reports whether its size
// fit. Ids this package does not know are skipped silently: many are
// device-specific events (locks, buttons, toothbrushes).
func addMiObject(id uint16, v []byte, r *Result) bool {
	const f = FormatMiBeacon
	want, known := miObjectSizes[id]
	if !known {
		return true
	}
	if len(v) != want {
		return false
	}
	switch id {
	case 0x1004:
		r.add(f, Temperature, float64(les16(v))/10, "Cel")
	case 0x1006:
		r.add(f, Humidity, float64(le16(v))/10, "%")
	case 0x100D:
		r.add(f, Temperature, float64(les16(v))/10, "Cel")
		r.add(f, Humidity, float64(le16(v[2:]))/10, "%")
	case 0x0003: // motion state
		r.add(f, Motion, float64(v[0]), "1")
	case 0x4818: // time without motion, in seconds: reports that motion stopped
		r.add(f, Motion, 0, "1")
	case 0x100A, 0x4803, 0x4c03, 0x5403:
		r.add(f, Battery, float64(v[0]), "%")
	case 0x1007:
		r.add(f, Illuminance, float64(leUint(v)), "lx")
	case 0x1008:
		r.add(f, Moisture, float64(v[0]), "%")
	case 0x1009:
		r.add(f, Conductivity, float64(le16(v)), "uS/cm")
	case 0x1014:
		r.add(f, MoistureDetected, float64(v[0]), "1")
	case 0x1015:
		r.add(f, Smoke, float64(v[0]), "1")
	case 0x000F: // motion with illuminance: any report means motion
		r.add(f, Motion, 1, "1")
		r.add(f, Illuminance, float64(leUint(v)), "lx")
	case 0x4a08: // motion with illuminance as float32
		r.add(f, Motion, 1, "1")
		r.add(f, Illuminance, float64(math.Float32frombits(uint32(leUint(v)))), "lx")
	case 0x4c01:
		r.add(f, Temperature, float64(math.Float32frombits(uint32(leUint(v)))), "Cel")
	case 0x4c02:
		r.add(f, Humidity, float64(v[0]), "%")
	case 0x4c08:
		r.add(f, Humidity, float64(math.Float32frombits(uint32(leUint(v)))), "%")
	}
	return true
}
