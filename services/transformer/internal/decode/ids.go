package decode

// Company identifiers (Bluetooth SIG Assigned Numbers, company identifiers list)
// and 16-bit service UUIDs (member UUIDs and GATT services) that select decoders.
const (
	companyApple     = 0x004C
	companyMicrosoft = 0x0006
	companyRuuvi     = 0x0499

	uuidEddystone            = 0xFEAA // Google, Eddystone
	uuidBTHomeV2             = 0xFCD2 // Allterco Robotics, BTHome v2
	uuidBTHomeV1             = 0x181C // BTHome v1 unencrypted (User Data service UUID reused)
	uuidBTHomeV1Encrypted    = 0x181E // BTHome v1 encrypted (Bond Management UUID reused)
	uuidEnvironmentalSensing = 0x181A // ATC1441 and pvvx custom formats
	uuidMiBeacon             = 0xFE95 // Xiaomi
	uuidQingping             = 0xFDCD // Qingping
)
