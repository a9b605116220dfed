package decode

// decodeATC decodes the custom formats of the ATC1441 and pvvx firmwares for
// Xiaomi LYWSD03MMC thermometers, sent as service data 0x181A and told apart by
// length (github.com/atc1441/ATC_MiThermometer README "Advertising format";
// github.com/pvvx/ATC_MiThermometer README "Custom format").
func decodeATC(d []byte, _ *Options, r *Result) {
	switch len(d) {
	case 13:
		decodeATC1441(d, r)
	case 15:
		decodePVVX(d, r)
	default:
		// 0x181A is also the standard Environmental Sensing service; other lengths
		// belong to firmwares this package does not know, or to encrypted variants.
		r.problem(FormatPVVX, 0, "service data 0x181A: length matches neither the atc1441 (13) nor the pvvx (15) format")
	}
}

// decodeATC1441: MAC (big-endian), temperature int16 BE in 0.1 Cel, humidity %,
// battery %, battery mV BE, frame counter.
func decodeATC1441(d []byte, r *Result) {
	const f = FormatATC1441
	r.addFormat(f)
	r.add(f, Temperature, float64(bes16(d[6:]))/10, "Cel")
	r.add(f, Humidity, float64(d[8]), "%")
	r.add(f, Battery, float64(d[9]), "%")
	r.add(f, BatteryVoltage, float64(be16(d[10:]))/1000, "V")
	r.add(f, PacketID, float64(d[12]), "1")
}

// decodePVVX: MAC (little-endian), temperature int16 LE in 0.01 Cel, humidity
// uint16 LE in 0.01 %, battery mV LE, battery %, counter, flags.
func decodePVVX(d []byte, r *Result) {
	const f = FormatPVVX
	r.addFormat(f)
	r.add(f, Temperature, float64(les16(d[6:]))/100, "Cel")
	r.add(f, Humidity, float64(le16(d[8:]))/100, "%")
	r.add(f, BatteryVoltage, float64(le16(d[10:]))/1000, "V")
	r.add(f, Battery, float64(d[12]), "%")
	r.add(f, PacketID, float64(d[13]), "1")
}
