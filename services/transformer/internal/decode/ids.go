package decode

// Company identifiers (Bluetooth SIG Assigned Numbers, company identifiers list)
// and 16-bit service UUIDs (member UUIDs and GATT services) that select decoders.
const (
	companyApple     = 0x004C
	companyMicrosoft = 0x0006
	companyRuuvi     = 0x0499

	// Govee thermo-hygrometers use identifiers nobody assigned them: 0xEC88 is
	// not on the SIG list, 0x0001 is Nokia's and 0x8801 is again unassigned, so
	// the Govee decoder checks more than the identifier before it reads values.
	companyGovee      = 0xEC88
	companyGoveeNokia = 0x0001
	companyGoveeH5179 = 0x8801

	uuidEddystone            = 0xFEAA // Google, Eddystone
	uuidBTHomeV2             = 0xFCD2 // Allterco Robotics, BTHome v2
	uuidBTHomeV1             = 0x181C // BTHome v1 unencrypted (User Data service UUID reused)
	uuidBTHomeV1Encrypted    = 0x181E // BTHome v1 encrypted (Bond Management UUID reused)
	uuidEnvironmentalSensing = 0x181A // ATC1441 and pvvx custom formats
	uuidMiBeacon             = 0xFE95 // Xiaomi
	uuidQingping             = 0xFDCD // Qingping
	uuidGovee                = 0xEC88 // Govee, in the 16-bit service UUID list (not assigned by the SIG)
)
