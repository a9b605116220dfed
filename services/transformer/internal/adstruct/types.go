package adstruct

// Type is an AD type from the Bluetooth SIG "Assigned Numbers" document, section
// 2.3 (Common Data Types).
type Type uint8

// AD types this package summarises. Values from Assigned Numbers 2.3.
const (
	TypeFlags                       Type = 0x01
	TypeIncomplete16                Type = 0x02
	TypeComplete16                  Type = 0x03
	TypeIncomplete32                Type = 0x04
	TypeComplete32                  Type = 0x05
	TypeIncomplete128               Type = 0x06
	TypeComplete128                 Type = 0x07
	TypeShortName                   Type = 0x08
	TypeCompleteName                Type = 0x09
	TypeTxPower                     Type = 0x0A
	TypeClassOfDevice               Type = 0x0D
	TypeSimplePairingHashC192       Type = 0x0E
	TypeSimplePairingRandomizerR192 Type = 0x0F
	TypeDeviceID                    Type = 0x10
	TypeSecurityManagerOOBFlags     Type = 0x11
	TypePeripheralConnInterval      Type = 0x12
	TypeSolicit16                   Type = 0x14
	TypeSolicit128                  Type = 0x15
	TypeServiceData16               Type = 0x16
	TypePublicTargetAddress         Type = 0x17
	TypeRandomTargetAddress         Type = 0x18
	TypeAppearance                  Type = 0x19
	TypeAdvertisingInterval         Type = 0x1A
	TypeLEDeviceAddress             Type = 0x1B
	TypeLERole                      Type = 0x1C
	TypeSimplePairingHashC256       Type = 0x1D
	TypeSimplePairingRandomizerR256 Type = 0x1E
	TypeSolicit32                   Type = 0x1F
	TypeServiceData32               Type = 0x20
	TypeServiceData128              Type = 0x21
	TypeLESCConfirmation            Type = 0x22
	TypeLESCRandom                  Type = 0x23
	TypeURI                         Type = 0x24
	TypeIndoorPositioning           Type = 0x25
	TypeTransportDiscovery          Type = 0x26
	TypeLESupportedFeatures         Type = 0x27
	TypeChannelMapUpdate            Type = 0x28
	TypePBADV                       Type = 0x29
	TypeMeshMessage                 Type = 0x2A
	TypeMeshBeacon                  Type = 0x2B
	TypeBIGInfo                     Type = 0x2C
	TypeBroadcastCode               Type = 0x2D
	TypeResolvableSetIdentifier     Type = 0x2E
	TypeAdvertisingIntervalLong     Type = 0x2F
	TypeBroadcastName               Type = 0x30
	TypeEncryptedAdvertisingData    Type = 0x31
	TypePeriodicAdvRespTiming       Type = 0x32
	TypeElectronicShelfLabel        Type = 0x34
	Type3DInformation               Type = 0x3D
	TypeManufacturerData            Type = 0xFF
)

// Flags bits (CSS Part A, 1.3).
const (
	FlagLELimitedDiscoverable uint8 = 1 << 0
	FlagLEGeneralDiscoverable uint8 = 1 << 1
	FlagBREDRNotSupported     uint8 = 1 << 2
	FlagSimultaneousLEBREDR   uint8 = 1 << 3
)

// Address is a 48-bit device address in the usual display order (most significant
// byte first), i.e. reversed from the little-endian order on the air.
type Address [6]byte

// Structure is one AD structure as it appeared in the payload.
type Structure struct {
	Type   Type
	Offset int    // offset of the length byte within the payload
	Data   []byte // the structure's data, without length and type; aliases the payload
}

// ServiceData is a service data structure (16-, 32- or 128-bit UUID form).
type ServiceData struct {
	UUID UUID
	Data []byte // aliases the payload
	// Offset is where Data starts in the payload, so format decoders can report
	// problems at payload offsets.
	Offset int
	Type   Type // TypeServiceData16, 32 or 128
}

// ManufacturerData is a manufacturer specific data structure.
type ManufacturerData struct {
	CompanyID uint16
	Data      []byte // the bytes after the company identifier; aliases the payload
	Offset    int    // where Data starts in the payload
}

// URI is a URI structure: the scheme is a code from the Assigned Numbers "URI
// Schemes" list (0x01 means no scheme, the text carries it).
type URI struct {
	SchemeCode uint16
	Rest       []byte // UTF-8 text after the scheme code; aliases the payload
}
