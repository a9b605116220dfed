package decode

import (
	"bytes"

	"github.com/bluestream/bluestream/services/transformer/internal/adstruct"
)

// Govee publishes no advertisement format. The layouts below are those
// documented by the people who decoded them: GoveeWatcher's README and its
// issue #2 (H5075 packed value and its sign bit), mkjanke's "Govee 5074 decoding
// notes" gist (H5074), wcbonner/GoveeBTTempLogger (H5177 and meat thermometer
// captures), and the device threads of custom-components/ble_monitor (#907
// H5178 sensor id, #1187 H5106, #851/#839/#946 meat thermometers, #1395 H5055,
// #1474 H5191) and Bluetooth-Devices/govee-ble (#46 H5055, #60 H5198).
//
// Thermo-hygrometers are told apart by company identifier and data length;
// the models that share one (H5051/H5052/H5071, H5101/H5102/H5177) share the
// layout too. H5106 shares H5101's identifier and length but not its layout,
// so only the local name can tell them apart.

// goveeH5106Name starts the local name of the H5106 air quality monitor.
var goveeH5106Name = []byte("GVH5106")

// decodeGovee decodes the thermo-hygrometers, which carry Govee's usual company
// identifiers, and reports whether md was one of them.
func decodeGovee(md adstruct.ManufacturerData, r *Result) bool {
	d := md.Data
	switch {
	case md.CompanyID == companyGovee:
		decodeGoveeEC88(d, r)
	case md.CompanyID == companyGoveeH5179 && len(d) >= 2 && d[0] == 0xEC && d[1] == 0x00:
		decodeGoveeH5179(d, r)
	case md.CompanyID == companyGoveeNokia && len(d) >= 2 && d[0] == 0x01 && d[1] == 0x01 && advertisesService(r, uuidGovee):
		decodeGovee0001(d, r)
	default:
		return false
	}
	return true
}

// decodeGoveeEC88: H5072/H5075 send 00, the packed reading and battery %, 00;
// H5074 (7 bytes) and H5051/H5052/H5071 (9 bytes) send 00, then temperature
// (int16 LE, 0.01 Cel), humidity (uint16 LE, 0.01 %) and battery %.
func decodeGoveeEC88(d []byte, r *Result) {
	const f = FormatGovee
	switch len(d) {
	case 6:
		r.addFormat(f)
		addGoveePacked(d[1:4], 0, r)
		r.add(f, Battery, float64(d[4]), "%")
	case 7, 9:
		addGoveeLE(d[1:6], r)
	default:
		r.problem(f, 0, "govee: company 0xEC88 data of unknown length")
	}
}

// decodeGoveeH5179: EC 00 01 01, then temperature, humidity and battery as
// H5074 sends them.
func decodeGoveeH5179(d []byte, r *Result) {
	if len(d) != 9 {
		r.problem(FormatGovee, 0, "govee: H5179 data is not 9 bytes")
		return
	}
	addGoveeLE(d[4:9], r)
}

// decodeGovee0001: after 01 01, H5101/H5102/H5177 (6 bytes) send the packed
// reading and battery %; H5178 (9 bytes) sends which sensor it reports (0 the
// base, 1 the outdoor unit), the packed reading and that sensor's battery %.
func decodeGovee0001(d []byte, r *Result) {
	const f = FormatGovee
	switch {
	case len(d) == 6 && bytes.HasPrefix(r.AD.LocalName, goveeH5106Name):
		decodeGoveeH5106(d, r)
	case len(d) == 6 && len(r.AD.LocalName) > 0:
		r.addFormat(f)
		addGoveePacked(d[2:5], 0, r)
		r.add(f, Battery, float64(d[5]), "%")
	case len(d) == 6:
		r.problem(f, 0, "govee: H5101/H5102/H5177 and H5106 send the same identifier and length; without the local name the layout is unknown")
	case len(d) == 9 && d[2] <= 1:
		r.addFormat(f)
		addGoveePacked(d[3:6], d[2], r)
		r.addChannel(f, Battery, float64(d[6]), "%", d[2])
	case len(d) == 9:
		r.problem(f, 2, "govee: H5178 sensor id is neither 0 (base) nor 1 (outdoor)")
	default:
		r.problem(f, 0, "govee: company 0x0001 data of unknown length")
	}
}

// decodeGoveeH5106: one 32-bit big-endian number holding temperature in
// 0.1 Cel times 10^6, humidity in 0.1 % times 10^3 and PM2.5 in ug/m3.
func decodeGoveeH5106(d []byte, r *Result) {
	const f = FormatGovee
	v := uint32(beUint(d[2:6]))
	r.addFormat(f)
	th := v / 1000
	r.add(f, Temperature, float64(th/1000)/10, "Cel")
	r.add(f, Humidity, float64(th%1000)/10, "%")
	r.add(f, PM25, float64(v%1000), "ug/m3")
}

// addGoveePacked reads the 24-bit big-endian reading: bit 23 is the sign of the
// temperature, the rest is temperature in 0.1 Cel times 1000 plus humidity in
// 0.1 %, so the integer division recovers the temperature exactly.
func addGoveePacked(b []byte, ch uint8, r *Result) {
	const f = FormatGovee
	v := uint32(beUint(b))
	magnitude := v & 0x7FFFFF
	t := float64(magnitude/1000) / 10
	if v&0x800000 != 0 {
		t = -t
	}
	r.addChannel(f, Temperature, t, "Cel", ch)
	r.addChannel(f, Humidity, float64(magnitude%1000)/10, "%", ch)
}

// addGoveeLE reads temperature (int16 LE, 0.01 Cel), humidity (uint16 LE,
// 0.01 %) and battery %.
func addGoveeLE(b []byte, r *Result) {
	const f = FormatGovee
	r.addFormat(f)
	r.add(f, Temperature, float64(les16(b))/100, "Cel")
	r.add(f, Humidity, float64(le16(b[2:]))/100, "%")
	r.add(f, Battery, float64(b[4]), "%")
}
