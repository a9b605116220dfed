package decode

import "github.com/bluestream/bluestream/services/transformer/internal/adstruct"

// decodeInkbird decodes Inkbird thermometers, which put readings where the
// company identifier belongs. Inkbird publishes no document; the layouts are
// those the public Home Assistant integrations (ble_monitor, inkbird-ble) read.
// Channel 0 is the built-in sensor, channel n is external probe n.
func decodeInkbird(md adstruct.ManufacturerData, r *Result) bool {
	name := string(r.AD.LocalName) // no allocation: compared, not kept
	switch {
	case (name == "sps" || name == "tps") && len(md.Data) == 7:
		decodeInkbirdIBSTH(name == "sps", md, r)
		return true
	case md.CompanyID == 0 && advertisesService(r, 0xFFF0) && len(md.Data) >= 10 && len(md.Data)%2 == 0:
		decodeInkbirdIBBQ(md.Data, r)
		return true
	}
	return false
}

// decodeInkbirdIBSTH: temperature (0.01 Cel, in the company id bytes), humidity
// (0.01 %, IBS-TH only), probe flag (1: external probe), CRC, battery %, type.
func decodeInkbirdIBSTH(hasHumidity bool, md adstruct.ManufacturerData, r *Result) {
	const f = FormatInkbird
	d := md.Data
	r.addFormat(f)
	ch := uint8(0)
	if d[2] == 1 {
		ch = 1
	}
	r.addChannel(f, Temperature, float64(int16(md.CompanyID))/100, "Cel", ch)
	if hasHumidity {
		r.add(f, Humidity, float64(le16(d))/100, "%")
	}
	r.add(f, Battery, float64(d[5]), "%")
}

// ibbqUnplugged is the value an iBBQ sends for a probe socket with no probe.
const ibbqUnplugged = -10

// decodeInkbirdIBBQ: two reserved bytes, the device address, then one signed
// 16-bit temperature per probe in 0.1 Cel. Empty sockets are left out.
func decodeInkbirdIBBQ(d []byte, r *Result) {
	const f = FormatInkbird
	r.addFormat(f)
	for i, off := uint8(1), 8; off+2 <= len(d); i, off = i+1, off+2 {
		if t := les16(d[off:]); t != ibbqUnplugged {
			r.addChannel(f, Temperature, float64(t)/10, "Cel", i)
		}
	}
}

func advertisesService(r *Result, u uint16) bool {
	for _, s := range r.AD.ServiceUUIDs {
		if v, ok := s.Short16(); ok && v == u {
			return true
		}
	}
	return false
}
