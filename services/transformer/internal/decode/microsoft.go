package decode

// Microsoft Connected Devices Platform beacons ([MS-CDP] 2.2.2.2.2 "Bluetooth
// Advertising Beacon"): scenario type 1, then a byte whose low 5 bits are the
// device type. Identified, not decoded: the rest is a salted device hash.
var microsoftDeviceTypes = [32]string{
	1: "xbox_one", 6: "apple_iphone", 7: "apple_ipad", 8: "android_device",
	9: "windows_10_desktop", 11: "windows_10_phone", 12: "linux_device",
	13: "windows_iot", 14: "surface_hub", 15: "windows_laptop", 16: "windows_tablet",
}

const microsoftScenarioBeacon = 0x01

func decodeMicrosoft(d []byte, r *Result) {
	if len(d) < 2 || d[0] != microsoftScenarioBeacon {
		return
	}
	typ := d[1] & 0x1F
	name := microsoftDeviceTypes[typ]
	if name == "" {
		name = "unknown"
	}
	r.addFormat(FormatMicrosoftCDP)
	r.Identifications = append(r.Identifications, Identification{Format: FormatMicrosoftCDP, Type: typ, Name: name})
}
