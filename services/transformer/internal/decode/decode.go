package decode

import "github.com/bluestream/bluestream/services/transformer/internal/adstruct"

// Options carries what a decode needs beyond the payload.
type Options struct {
	// Address is the advertiser's device address; encrypted formats (BTHome,
	// Xiaomi MiBeacon) build their nonces from it.
	Address adstruct.Address
	// Keys finds the per-device key of encrypted formats; nil means no keys, and
	// encrypted payloads are then reported as problems.
	Keys KeyLookup
}

// KeyLookup finds the AES-128 key configured for a device address.
type KeyLookup interface {
	Key(addr adstruct.Address) ([16]byte, bool)
}

// Keys is a KeyLookup backed by a map; read-only use from many goroutines is safe.
type Keys map[adstruct.Address][16]byte

// Key implements KeyLookup.
func (k Keys) Key(addr adstruct.Address) ([16]byte, bool) {
	key, ok := k[addr]
	return key, ok
}

func (o *Options) key() ([16]byte, bool) {
	if o.Keys == nil {
		return [16]byte{}, false
	}
	return o.Keys.Key(o.Address)
}

// Decode parses payload (the AD structures of an advertisement or scan response)
// into r, replacing what r held. Problems with single structures or formats are
// listed in r.Problems; everything else that could be read is still there.
func Decode(payload []byte, opts Options, r *Result) {
	r.reset()
	r.Problems = adstruct.Parse(payload, &r.AD, r.Problems)
	for i := range r.AD.ServiceData {
		decodeServiceData(r.AD.ServiceData[i], &opts, r)
	}
	for i := range r.AD.Manufacturer {
		decodeManufacturer(r.AD.Manufacturer[i], &opts, r)
	}
}

// decodeServiceData dispatches on the service data UUID.
func decodeServiceData(sd adstruct.ServiceData, opts *Options, r *Result) {
	r.at.base, r.at.typ = sd.Offset, sd.Type
	u, ok := sd.UUID.Short16()
	if !ok {
		return
	}
	switch u {
	case uuidEddystone:
		decodeEddystone(sd.Data, r)
	case uuidBTHomeV2:
		decodeBTHomeV2(sd.Data, opts, r)
	case uuidBTHomeV1, uuidBTHomeV1Encrypted:
		decodeBTHomeV1(u, sd.Data, opts, r)
	case uuidEnvironmentalSensing:
		decodeATC(sd.Data, opts, r)
	case uuidMiBeacon:
		decodeMiBeacon(sd.Data, opts, r)
	case uuidQingping:
		decodeQingping(sd.Data, r)
	default:
		decodeGATT(u, sd.Data, r)
	}
}

// decodeManufacturer dispatches on the company identifier, then on signatures
// that some vendors put in place of a real company identifier. Formats whose
// identifier field carries data are tried first, and only when the
// advertisement names them by service UUID, so such data can never be taken
// for another company's.
func decodeManufacturer(md adstruct.ManufacturerData, opts *Options, r *Result) {
	r.at.base, r.at.typ = md.Offset, adstruct.TypeManufacturerData
	if decodeGoveeProbes(md, r) || decodeSensorPush(md, r) {
		return
	}
	switch md.CompanyID {
	case companyApple:
		decodeApple(md.Data, r)
		return
	case companyMicrosoft:
		decodeMicrosoft(md.Data, r)
		return
	case companyRuuvi:
		decodeRuuvi(md.Data, r)
		return
	}
	if decodeGovee(md, r) || decodeAltBeacon(md, r) {
		return
	}
	decodeInkbird(md, r)
}
