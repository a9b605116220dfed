package adstruct

// Source names used in problems reported by Parse.
const sourceAD = "ad structure"

// Parse resets s and fills it from payload, appending a Problem to problems for
// every structure it cannot use. A malformed structure never stops the others
// from being read, except a length that runs past the end, which ends the payload.
func Parse(payload []byte, s *Summary, problems []Problem) []Problem {
	s.Reset()
	s.ServiceUUIDsComplete = true
	for off := 0; off < len(payload); {
		n := int(payload[off])
		if n == 0 {
			// A zero length marks early termination of significant data (Core Vol 3,
			// Part C, 11): the rest is padding.
			break
		}
		if off+1+n > len(payload) {
			return append(problems, Problem{Source: sourceAD, Offset: off, Reason: "length runs past the end of the payload"})
		}
		st := Structure{Type: Type(payload[off+1]), Offset: off, Data: payload[off+2 : off+1+n]}
		s.Structures = append(s.Structures, st)
		if reason := s.apply(st); reason != "" {
			problems = append(problems, Problem{Source: sourceAD, Offset: off, ADType: st.Type, Reason: reason})
		}
		off += 1 + n
	}
	return problems
}

// apply records one structure in the summary and returns a reason when its
// contents do not fit its type.
func (s *Summary) apply(st Structure) string {
	d := st.Data
	switch st.Type {
	case TypeFlags:
		if len(d) < 1 {
			return "flags: empty"
		}
		s.Flags, s.HasFlags = d[0], true
	case TypeIncomplete16, TypeComplete16:
		return s.addUUIDs(&s.ServiceUUIDs, d, 2, st.Type == TypeComplete16, "16-bit service UUID list: length not a multiple of 2")
	case TypeIncomplete32, TypeComplete32:
		return s.addUUIDs(&s.ServiceUUIDs, d, 4, st.Type == TypeComplete32, "32-bit service UUID list: length not a multiple of 4")
	case TypeIncomplete128, TypeComplete128:
		return s.addUUIDs(&s.ServiceUUIDs, d, 16, st.Type == TypeComplete128, "128-bit service UUID list: length not a multiple of 16")
	case TypeSolicit16:
		return s.addUUIDs(&s.SolicitedUUIDs, d, 2, true, "16-bit solicitation UUIDs: length not a multiple of 2")
	case TypeSolicit32:
		return s.addUUIDs(&s.SolicitedUUIDs, d, 4, true, "32-bit solicitation UUIDs: length not a multiple of 4")
	case TypeSolicit128:
		return s.addUUIDs(&s.SolicitedUUIDs, d, 16, true, "128-bit solicitation UUIDs: length not a multiple of 16")
	case TypeShortName:
		if s.LocalName == nil {
			s.LocalName = d
		}
	case TypeCompleteName:
		s.LocalName, s.LocalNameComplete = d, true
	case TypeBroadcastName:
		s.BroadcastName = d
	case TypeTxPower:
		if len(d) != 1 {
			return "tx power level: want 1 byte"
		}
		s.TxPower, s.HasTxPower = int8(d[0]), true
	case TypeAppearance:
		if len(d) != 2 {
			return "appearance: want 2 bytes"
		}
		s.Appearance, s.HasAppearance = le16(d), true
	case TypeServiceData16:
		return s.addServiceData(st, 2, "service data 16-bit: shorter than its UUID")
	case TypeServiceData32:
		return s.addServiceData(st, 4, "service data 32-bit: shorter than its UUID")
	case TypeServiceData128:
		return s.addServiceData(st, 16, "service data 128-bit: shorter than its UUID")
	case TypeManufacturerData:
		if len(d) < 2 {
			return "manufacturer data: shorter than the company identifier"
		}
		s.Manufacturer = append(s.Manufacturer, ManufacturerData{CompanyID: le16(d), Data: d[2:], Offset: st.Offset + 4})
	default:
		return s.applyRare(st)
	}
	return ""
}

// applyRare handles the types that few advertisers use.
func (s *Summary) applyRare(st Structure) string {
	d := st.Data
	switch st.Type {
	case TypeURI:
		if len(d) < 1 {
			return "uri: empty"
		}
		s.URIs = append(s.URIs, parseURI(d))
	case TypeAdvertisingInterval:
		if len(d) != 2 {
			return "advertising interval: want 2 bytes"
		}
		s.AdvertisingInterval, s.HasAdvertisingInterval = uint32(le16(d)), true
	case TypeAdvertisingIntervalLong:
		if len(d) != 3 && len(d) != 4 {
			return "advertising interval - long: want 3 or 4 bytes"
		}
		s.AdvertisingInterval, s.HasAdvertisingInterval = leUint(d), true
	case TypeLESupportedFeatures:
		s.LESupportedFeatures = d
	case TypePeripheralConnInterval:
		if len(d) != 4 {
			return "peripheral connection interval range: want 4 bytes"
		}
		s.ConnIntervalMin, s.ConnIntervalMax, s.HasConnIntervalRange = le16(d), le16(d[2:]), true
	case TypePublicTargetAddress:
		return addAddresses(&s.PublicTargets, d, "public target address: length not a multiple of 6")
	case TypeRandomTargetAddress:
		return addAddresses(&s.RandomTargets, d, "random target address: length not a multiple of 6")
	case TypeLERole:
		if len(d) != 1 {
			return "le role: want 1 byte"
		}
		if d[0] > 3 {
			return "le role: value above 0x03 is reserved"
		}
		s.LERole, s.HasLERole = d[0], true
	case TypeClassOfDevice:
		if len(d) != 3 {
			return "class of device: want 3 bytes"
		}
		s.ClassOfDevice, s.HasClassOfDevice = leUint(d), true
	}
	// Other types (pairing data, mesh, BIGInfo, ...) stay in Structures as they are.
	return ""
}

func (s *Summary) addUUIDs(dst *[]UUID, d []byte, size int, complete bool, bad string) string {
	if len(d)%size != 0 {
		return bad
	}
	for i := 0; i < len(d); i += size {
		*dst = append(*dst, uuidLE(d[i:i+size]))
	}
	if dst == &s.ServiceUUIDs && !complete {
		s.ServiceUUIDsComplete = false
	}
	return ""
}

func (s *Summary) addServiceData(st Structure, size int, short string) string {
	d := st.Data
	if len(d) < size {
		return short
	}
	s.ServiceData = append(s.ServiceData, ServiceData{UUID: uuidLE(d[:size]), Data: d[size:], Offset: st.Offset + 2 + size, Type: st.Type})
	return ""
}

func addAddresses(dst *[]Address, d []byte, bad string) string {
	if len(d)%6 != 0 {
		return bad
	}
	for i := 0; i < len(d); i += 6 {
		var a Address
		for j := range 6 {
			a[j] = d[i+5-j]
		}
		*dst = append(*dst, a)
	}
	return ""
}

// parseURI splits the scheme code, a UTF-8 code point from the "URI Schemes"
// list (CSS Part A, 1.18), from the rest.
func parseURI(d []byte) URI {
	switch {
	case d[0] < 0x80 || len(d) < 2:
		return URI{SchemeCode: uint16(d[0]), Rest: d[1:]}
	case d[0]&0xE0 == 0xC0:
		return URI{SchemeCode: uint16(d[0]&0x1F)<<6 | uint16(d[1]&0x3F), Rest: d[2:]}
	default:
		if len(d) < 3 {
			return URI{SchemeCode: uint16(d[0]), Rest: d[1:]}
		}
		return URI{SchemeCode: uint16(d[0]&0x0F)<<12 | uint16(d[1]&0x3F)<<6 | uint16(d[2]&0x3F), Rest: d[3:]}
	}
}

func le16(b []byte) uint16 { return uint16(b[0]) | uint16(b[1])<<8 }

func leUint(b []byte) uint32 {
	var v uint32
	for i := len(b) - 1; i >= 0; i-- {
		v = v<<8 | uint32(b[i])
	}
	return v
}
