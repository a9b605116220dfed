package decode

// BTHome device information byte (https://bthome.io/format/, "BTHome Device
// Information"): bit 0 encryption, bit 2 trigger based, bits 5-7 version.
const (
	bthomeEncrypted   = 0x01
	bthomeMACIncluded = 0x02 // used by bthome-ble and some firmwares; reserved in the published format
	bthomeVersionMask = 0xE0
	bthomeVersion2    = 2 << 5
)

// decodeBTHomeV2 decodes BTHome v2 service data (UUID 0xFCD2).
func decodeBTHomeV2(d []byte, opts *Options, r *Result) {
	if len(d) < 1 {
		r.problem(FormatBTHomeV2, 0, "empty service data: no device information byte")
		return
	}
	info := d[0]
	if info&bthomeVersionMask != bthomeVersion2 {
		r.problem(FormatBTHomeV2, 0, "device information byte announces a version other than 2")
		return
	}
	r.addFormat(FormatBTHomeV2)
	body, base := d[1:], 1
	addr := opts.Address
	if info&bthomeMACIncluded != 0 {
		// The advertiser's own address (little-endian) precedes the objects, for
		// devices that advertise from a random address.
		if len(body) < 6 {
			r.problem(FormatBTHomeV2, 1, "address flag set but fewer than 6 bytes follow")
			return
		}
		for i := range 6 {
			addr[i] = body[5-i]
		}
		body, base = body[6:], 7
	}
	if info&bthomeEncrypted != 0 {
		var ok bool
		if body, ok = openBTHomeV2(info, body, addr, opts, r); !ok {
			return
		}
	}
	decodeBTHomeObjects(FormatBTHomeV2, body, base, r)
}

// openBTHomeV2 decrypts an encrypted BTHome v2 payload: ciphertext, a 4-byte
// counter and a 4-byte MIC after the device information byte; the nonce is the
// address, the UUID (little-endian), the information byte and the counter
// (https://bthome.io/encryption/).
func openBTHomeV2(info byte, d []byte, addr [6]byte, opts *Options, r *Result) ([]byte, bool) {
	key, ok := opts.key()
	if !ok {
		r.problem(FormatBTHomeV2, 0, "encrypted payload and no key configured for this address")
		return nil, false
	}
	if len(d) < 4+4 {
		r.problem(FormatBTHomeV2, 0, "encrypted payload shorter than counter and MIC")
		return nil, false
	}
	var nonce [13]byte
	copy(nonce[:6], addr[:])
	nonce[6], nonce[7], nonce[8] = uuidBTHomeV2&0xFF, uuidBTHomeV2>>8, info
	copy(nonce[9:], d[len(d)-8:len(d)-4])
	ciphertext := d[:len(d)-8]
	plain := r.grabScratch(len(ciphertext))
	if !ccmOpen(r.cipherFor(key), &r.ccm, nonce[:], ciphertext, d[len(d)-4:], nil, plain) {
		r.problem(FormatBTHomeV2, len(d)-4, "MIC does not match: wrong key or corrupted payload")
		return nil, false
	}
	return plain, true
}

// decodeBTHomeObjects reads a sequence of v2 objects (id, then a value whose
// size the id fixes). An unknown id stops the decode, because the size of
// everything after it is then unknown. base is the offset of objects within
// the service data, for problem reports.
func decodeBTHomeObjects(f Format, objects []byte, base int, r *Result) {
	first := len(r.Measurements)
	for off := 0; off < len(objects); {
		id := objects[off]
		spec := bthomeObjects[id]
		if spec.q == "" {
			r.problem(f, base+off, "unknown object id: cannot size the rest")
			return
		}
		value, next, ok := bthomeValue(objects, off+1, spec)
		if !ok {
			r.problem(f, base+off, "object value runs past the end of the payload")
			return
		}
		addBTHome(f, id, spec, value, objects[off+1:next], first, r)
		off = next
	}
}

// bthomeValue reads the value of one object that starts at off.
func bthomeValue(b []byte, off int, spec bthomeObject) (int64, int, bool) {
	if spec.size == 0 {
		if off >= len(b) || off+1+int(b[off]) > len(b) {
			return 0, 0, false
		}
		return int64(b[off]), off + 1 + int(b[off]), true
	}
	end := off + int(spec.size)
	if end > len(b) {
		return 0, 0, false
	}
	if spec.signed {
		return leInt(b[off:end]), end, true
	}
	return int64(leUint(b[off:end])), end, true
}

// addBTHome appends the measurement of one object. Repeated quantities get
// increasing channels, as the format numbers repeated objects.
func addBTHome(f Format, id byte, spec bthomeObject, raw int64, data []byte, first int, r *Result) {
	switch {
	case id == 0x3C: // dimmer: event type byte, then number of steps (signed)
		r.add(f, DimmerEvent, float64(data[0]), "1")
		r.add(f, DimmerSteps, float64(int8(data[1])), "1")
		return
	case spec.size == 0: // text and raw objects carry no quantity; their bytes stay in the payload
		return
	}
	var v float64
	if spec.mul == 1 {
		v = float64(raw) / spec.div
	} else {
		v = float64(raw) * spec.mul / spec.div
	}
	ch := uint8(0)
	for _, m := range r.Measurements[first:] {
		if m.Quantity == spec.q {
			ch++
		}
	}
	r.addChannel(f, spec.q, v, spec.unit, ch)
}
