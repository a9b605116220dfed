package decode

// BTHome v1 object format byte (https://bthome.io/v1/): bits 5-7 the data type,
// bits 0-4 the length of the object including the object id.
const (
	bthomeV1TypeUint   = 0
	bthomeV1TypeInt    = 1
	bthomeV1TypeFloat  = 2
	bthomeV1TypeString = 3
	bthomeV1TypeMAC    = 4
)

var bthomeV1AAD = [1]byte{0x11}

// decodeBTHomeV1 decodes BTHome v1 service data (0x181C plain, 0x181E encrypted).
func decodeBTHomeV1(uuid uint16, d []byte, opts *Options, r *Result) {
	r.addFormat(FormatBTHomeV1)
	if uuid == uuidBTHomeV1Encrypted {
		var ok bool
		if d, ok = openBTHomeV1(d, opts, r); !ok {
			return
		}
	}
	first := len(r.Measurements)
	for off := 0; off < len(d); {
		format := d[off]
		n := int(format & 0x1F) // object id plus value
		if n < 1 || off+1+n > len(d) {
			r.problem(FormatBTHomeV1, off, "object length runs past the end of the payload")
			return
		}
		id, value := d[off+1], d[off+2:off+1+n]
		off += 1 + n
		spec := bthomeObjects[id]
		kind := format >> 5
		if spec.q == "" || kind > bthomeV1TypeInt || len(value) == 0 || len(value) > 8 {
			// Strings, MAC addresses, floats and unknown ids carry no quantity we report.
			continue
		}
		raw := int64(leUint(value))
		if kind == bthomeV1TypeInt {
			raw = leInt(value)
		}
		if id == 0x3C && len(value) != 2 {
			r.problem(FormatBTHomeV1, off, "dimmer object: want 2 bytes")
			continue
		}
		addBTHome(FormatBTHomeV1, id, spec, raw, value, first, r)
	}
}

// openBTHomeV1 decrypts v1 encrypted data: ciphertext, 4-byte counter, 4-byte
// MIC; the nonce is the address, the UUID 0x181E little-endian and the counter,
// and the associated data is the single byte 0x11 (the value BTHome v1 shares
// with Xiaomi MiBeacon; bthome.io/v1/ "Encryption").
func openBTHomeV1(d []byte, opts *Options, r *Result) ([]byte, bool) {
	key, ok := opts.key()
	if !ok {
		r.problem(FormatBTHomeV1, 0, "encrypted payload and no key configured for this address")
		return nil, false
	}
	if len(d) < 8 {
		r.problem(FormatBTHomeV1, 0, "encrypted payload shorter than counter and MIC")
		return nil, false
	}
	var nonce [12]byte
	copy(nonce[:6], opts.Address[:])
	nonce[6], nonce[7] = uuidBTHomeV1Encrypted&0xFF, uuidBTHomeV1Encrypted>>8
	copy(nonce[8:12], d[len(d)-8:len(d)-4])
	ciphertext := d[:len(d)-8]
	plain := r.grabScratch(len(ciphertext))
	if !ccmOpen(r.cipherFor(key), &r.ccm, nonce[:], ciphertext, d[len(d)-4:], bthomeV1AAD[:], plain) {
		r.problem(FormatBTHomeV1, len(d)-4, "MIC does not match: wrong key or corrupted payload")
		return nil, false
	}
	return plain, true
}
