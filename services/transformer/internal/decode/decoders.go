package decode

// Decoder describes one built-in decoder and what selects it, for callers that
// list what the transformer understands (the ListDecoders RPC).
type Decoder struct {
	Name string
	// Formats it can report.
	Formats []Format
	// CompanyIDs select it by manufacturer specific data; ServiceUUIDs by 16-bit
	// service data UUID. Both empty means it recognises a signature in any
	// manufacturer data (AltBeacon, Inkbird, SensorPush); Govee has both
	// company identifiers and such signatures (its meat thermometers).
	CompanyIDs   []uint16
	ServiceUUIDs []uint16
}

// gattUUIDs are the GATT services and characteristics decodeGATT reads when
// they appear as service data.
var gattUUIDs = []uint16{0x1809, 0x180D, 0x180F, 0x2A19, 0x2A1C, 0x2A37, 0x2A6D, 0x2A6E, 0x2A6F}

// Builtins lists the built-in decoders in a stable order. It is built from the
// same constants Decode dispatches on, so the list cannot drift from the code.
func Builtins() []Decoder {
	return []Decoder{
		{Name: "apple", Formats: []Format{FormatIBeacon, FormatAppleContinuity}, CompanyIDs: []uint16{companyApple}},
		{Name: "microsoft", Formats: []Format{FormatMicrosoftCDP}, CompanyIDs: []uint16{companyMicrosoft}},
		{Name: "ruuvi", Formats: []Format{FormatRuuviV3, FormatRuuviV5}, CompanyIDs: []uint16{companyRuuvi}},
		{Name: "altbeacon", Formats: []Format{FormatAltBeacon}},
		{Name: "inkbird", Formats: []Format{FormatInkbird}},
		{Name: "govee", Formats: []Format{FormatGovee}, CompanyIDs: []uint16{companyGovee, companyGoveeNokia, companyGoveeH5179}},
		{Name: "sensorpush", Formats: []Format{FormatSensorPush}},
		{Name: "eddystone", Formats: []Format{FormatEddystoneUID, FormatEddystoneURL, FormatEddystoneTLM, FormatEddystoneTLMEnc, FormatEddystoneEID}, ServiceUUIDs: []uint16{uuidEddystone}},
		{Name: "bthome-v2", Formats: []Format{FormatBTHomeV2}, ServiceUUIDs: []uint16{uuidBTHomeV2}},
		{Name: "bthome-v1", Formats: []Format{FormatBTHomeV1}, ServiceUUIDs: []uint16{uuidBTHomeV1, uuidBTHomeV1Encrypted}},
		{Name: "atc-pvvx", Formats: []Format{FormatATC1441, FormatPVVX}, ServiceUUIDs: []uint16{uuidEnvironmentalSensing}},
		{Name: "xiaomi-mibeacon", Formats: []Format{FormatMiBeacon}, ServiceUUIDs: []uint16{uuidMiBeacon}},
		{Name: "qingping", Formats: []Format{FormatQingping}, ServiceUUIDs: []uint16{uuidQingping}},
		{Name: "gatt", Formats: []Format{FormatGATT}, ServiceUUIDs: gattUUIDs},
	}
}
