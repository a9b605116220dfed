package capture

import "github.com/bluestream/bluestream/services/ble-ingest/internal/advert"

// Extended header flag bits and field sizes (Core Spec Vol 6 Part B 2.3.4).
var extendedFields = []struct {
	flag byte
	size int
}{
	{0x01, 6},  // AdvA
	{0x02, 6},  // TargetA
	{0x04, 1},  // CTEInfo
	{0x08, 2},  // ADI
	{0x10, 3},  // AuxPtr
	{0x20, 18}, // SyncInfo
	{0x40, 1},  // TxPower
}

// decodeExtendedPDU reads the common extended advertising payload of
// ADV_EXT_IND/AUX_ADV_IND/AUX_SCAN_RSP/AUX_CHAIN_IND. It yields an advertisement
// when the PDU names its advertiser (AdvA) or carries data without one
// (anonymous); a bare ADV_EXT_IND that only points to an AUX PDU is "other".
func decodeExtendedPDU(ad advert.Advertisement, header byte, payload []byte) (advert.Advertisement, outcome) {
	if len(payload) < 1 {
		return ad, outMalformed
	}
	hdrLen, mode := int(payload[0]&0x3F), payload[0]>>6
	if len(payload) < 1+hdrLen {
		return ad, outMalformed
	}
	ext, data := payload[1:1+hdrLen], payload[1+hdrLen:]
	var flags byte
	if hdrLen > 0 {
		flags, ext = ext[0], ext[1:]
	}
	fields := map[byte][]byte{}
	for _, f := range extendedFields {
		if flags&f.flag == 0 {
			continue
		}
		if len(ext) < f.size {
			return ad, outMalformed
		}
		fields[f.flag], ext = ext[:f.size], ext[f.size:]
	}
	advA, hasAdvA := fields[0x01]
	if !hasAdvA && len(data) == 0 {
		return ad, outOther
	}
	ad.EventType = advert.EventExtended
	ad.ExtendedProperties = advert.ExtendedProperties(mode & 0x3) // connectable, scannable bits
	if _, directed := fields[0x02]; directed {
		ad.ExtendedProperties |= advert.PropDirected
	}
	if _, chained := fields[0x10]; chained && len(data) > 0 {
		ad.ExtendedProperties |= advert.PropDataIncomplete
	}
	if tx, ok := fields[0x40]; ok {
		ad.TxPower, ad.TxPowerKnown = int8(tx[0]), true
	}
	ad.AddressType = advert.AddressAnonymous
	if hasAdvA {
		ad.Address, ad.AddressType = advert.AddressFromLittleEndian(advA), txAddressType(header)
	}
	ad.Payload = append([]byte(nil), data...)
	return ad, outAdvertisement
}
