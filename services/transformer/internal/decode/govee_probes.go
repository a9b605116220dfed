package decode

import "github.com/bluestream/bluestream/services/transformer/internal/adstruct"

// Govee meat thermometers send the low bytes of their device address where the
// company identifier belongs, so the identifier selects nothing. They name their
// model in the 16-bit service UUID list of the same advertisement instead: the
// model number's digits as bytes, "51 82" for H5182 (GoveeBTTempLogger README,
// "Bluetooth UUID details"; ble_monitor #1395 and #1474 logs for H5055 and
// H5191). Without that UUID the models cannot be told apart reliably: H5185,
// H5191 and H5198 send the same length and header with different meanings, and
// H5055 has no header to recognise, so such advertisements are left alone.
// H5181 reportedly advertises as H5183 (GoveeBTTempLogger #40).
//
// Probe temperatures and alarm thresholds are 0.01 Cel (int16 BE) except on
// H5055 (whole Cel, int16 LE); 0xFFFF marks an unplugged probe or an unset
// alarm, and is left out rather than reported as a value.

type goveeProbeLayout uint8

const (
	goveeOneProbe      goveeProbeLayout = iota + 1 // H5183
	goveeTwoProbes                                 // H5182, H5184
	goveeTwoProbesWide                             // H5185, H5198: a third field per probe
	goveeProbeAmbient                              // H5191: one probe and the ambient temperature
	goveeSixProbes                                 // H5055
)

type goveeProbeModel struct {
	model    uint16 // the model number as its UUID spells it, e.g. 0x5182
	size     int    // manufacturer data bytes after the identifier
	layout   goveeProbeLayout
	pairs    uint8 // how many probe pairs the pair selector may name
	lowAlarm bool  // the wide layout's third field is a low alarm (H5198, ble_monitor #946)
}

var goveeProbeModels = [...]goveeProbeModel{
	{model: 0x5183, size: 14, layout: goveeOneProbe, pairs: 1},
	{model: 0x5182, size: 17, layout: goveeTwoProbes, pairs: 1},
	{model: 0x5184, size: 17, layout: goveeTwoProbes, pairs: 2},
	{model: 0x5185, size: 20, layout: goveeTwoProbesWide, pairs: 1},
	{model: 0x5198, size: 20, layout: goveeTwoProbesWide, pairs: 2, lowAlarm: true},
	{model: 0x5191, size: 20, layout: goveeProbeAmbient, pairs: 1},
	{model: 0x5055, size: 20, layout: goveeSixProbes, pairs: 3},
}

// goveeProbeHeader follows the address byte in every model but H5055: the
// same 01 00 01 01 that H5101/H5102 send after their identifier.
var goveeProbeHeader = [4]byte{0x01, 0x00, 0x01, 0x01}

// decodeGoveeProbes decodes a meat thermometer's manufacturer data when the
// advertisement names a known model, and reports whether it did.
func decodeGoveeProbes(md adstruct.ManufacturerData, r *Result) bool {
	if md.CompanyID == companyApple {
		return false // the iBeacon frame these thermometers send beside their data
	}
	m, ok := goveeProbeModelOf(r)
	if !ok {
		return false
	}
	d := md.Data
	if len(d) != m.size || !m.hasHeader(d) {
		r.problem(FormatGovee, 0, "govee: meat thermometer data has the wrong length or header for its model")
		return true
	}
	switch m.layout {
	case goveeOneProbe:
		r.addFormat(FormatGovee)
		addGoveeProbe(1, d[8:], d[10:], nil, r)
	case goveeTwoProbes, goveeTwoProbesWide:
		decodeGoveeProbePair(m, d, r)
	case goveeProbeAmbient:
		r.addFormat(FormatGovee)
		addGoveeProbe(1, d[8:], d[10:], nil, r)
		addGoveeCenti(Temperature, 0, d[14:], r)
	case goveeSixProbes:
		decodeGoveeH5055(d, r)
	}
	return true
}

func goveeProbeModelOf(r *Result) (goveeProbeModel, bool) {
	for _, u := range r.AD.ServiceUUIDs {
		v, ok := u.Short16()
		if !ok {
			continue
		}
		model := v>>8 | v<<8
		for _, m := range goveeProbeModels {
			if m.model == model {
				return m, true
			}
		}
	}
	return goveeProbeModel{}, false
}

func (m goveeProbeModel) hasHeader(d []byte) bool {
	if m.layout == goveeSixProbes {
		return d[1] == 0x00
	}
	return [4]byte(d[1:5]) == goveeProbeHeader
}

// decodeGoveeProbePair: byte 6 selects the pair in its low six bits (1: probes
// 1 and 2, 2: probes 3 and 4); each probe is a status byte (two-probe layout)
// or nothing (wide layout), its temperature, its high alarm, and in the wide
// layout a third field.
func decodeGoveeProbePair(m goveeProbeModel, d []byte, r *Result) {
	pair := d[6] & 0x3F
	if pair == 0 || pair > m.pairs {
		r.problem(FormatGovee, 6, "govee: probe pair selector names no probes of this model")
		return
	}
	r.addFormat(FormatGovee)
	first := 2*pair - 1
	if m.layout == goveeTwoProbes {
		addGoveeProbe(first, d[8:], d[10:], nil, r)
		addGoveeProbe(first+1, d[13:], d[15:], nil, r)
		return
	}
	var lowA, lowB []byte
	if m.lowAlarm {
		lowA, lowB = d[12:], d[18:]
	}
	addGoveeProbe(first, d[8:], d[10:], lowA, r)
	addGoveeProbe(first+1, d[14:], d[16:], lowB, r)
}

// decodeGoveeH5055: an address byte, 00, battery %, the pair selector in the
// top two bits (0: probes 1-2, 1: 3-4, 2: 5-6), then per probe a status byte,
// its temperature and two alarm fields whose order no capture has settled, so
// they are not reported.
func decodeGoveeH5055(d []byte, r *Result) {
	const f = FormatGovee
	pair := d[3] >> 6
	if pair >= 3 {
		r.problem(f, 3, "govee: H5055 probe pair selector names no probes")
		return
	}
	r.addFormat(f)
	r.add(f, Battery, float64(d[2]), "%")
	for i, off := range [2]int{5, 12} {
		if t := les16(d[off:]); t != -1 {
			r.addChannel(f, Temperature, float64(t), "Cel", 2*pair+1+uint8(i))
		}
	}
}

// addGoveeProbe adds probe ch's temperature and alarms; low may be nil.
func addGoveeProbe(ch uint8, temp, high, low []byte, r *Result) {
	addGoveeCenti(Temperature, ch, temp, r)
	addGoveeCenti(TemperatureAlarmHigh, ch, high, r)
	if low != nil {
		addGoveeCenti(TemperatureAlarmLow, ch, low, r)
	}
}

// addGoveeCenti adds an int16 BE in 0.01 Cel unless it is the 0xFFFF marker.
func addGoveeCenti(q Quantity, ch uint8, b []byte, r *Result) {
	if v := bes16(b); v != -1 {
		r.addChannel(FormatGovee, q, float64(v)/100, "Cel", ch)
	}
}
