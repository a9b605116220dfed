package adstruct

// Summary is what the AD structures of one advertising payload say about the
// device. Fields with a Has flag are absent unless it is set.
type Summary struct {
	Structures []Structure // every well-formed structure, in payload order

	Flags    uint8
	HasFlags bool

	LocalName         []byte // aliases the payload
	LocalNameComplete bool   // false when only the shortened name was present
	BroadcastName     []byte // aliases the payload

	TxPower    int8 // dBm
	HasTxPower bool

	Appearance    uint16
	HasAppearance bool

	ServiceUUIDs         []UUID
	ServiceUUIDsComplete bool // every list present was marked complete
	SolicitedUUIDs       []UUID
	ServiceData          []ServiceData
	Manufacturer         []ManufacturerData
	URIs                 []URI

	// AdvertisingInterval is in units of 0.625 ms (Advertising Interval and
	// Advertising Interval - long share the unit).
	AdvertisingInterval    uint32
	HasAdvertisingInterval bool

	LESupportedFeatures []byte // aliases the payload

	// Peripheral connection interval range in units of 1.25 ms; 0xFFFF means no
	// specific value (CSS Part A, 1.9).
	ConnIntervalMin, ConnIntervalMax uint16
	HasConnIntervalRange             bool

	PublicTargets []Address
	RandomTargets []Address

	LERole    uint8
	HasLERole bool

	ClassOfDevice    uint32
	HasClassOfDevice bool
}

// Reset empties the summary while keeping the capacity of its slices.
func (s *Summary) Reset() {
	*s = Summary{
		Structures:     s.Structures[:0],
		ServiceUUIDs:   s.ServiceUUIDs[:0],
		SolicitedUUIDs: s.SolicitedUUIDs[:0],
		ServiceData:    s.ServiceData[:0],
		Manufacturer:   s.Manufacturer[:0],
		URIs:           s.URIs[:0],
		PublicTargets:  s.PublicTargets[:0],
		RandomTargets:  s.RandomTargets[:0],
	}
}

// CompanyID returns the company identifier of the first manufacturer specific data
// structure.
func (s *Summary) CompanyID() (uint16, bool) {
	if len(s.Manufacturer) == 0 {
		return 0, false
	}
	return s.Manufacturer[0].CompanyID, true
}
