package hci

import (
	"encoding/binary"
	"fmt"

	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
)

// maxExtendedData is the most data one extended report fits into one event: the
// parameter length is one byte and the subevent, count and fixed fields use 26.
const maxExtendedData = 255 - 2 - extendedReportFixedLen

// EncodeEvent encodes ad as the HCI event a controller would send for it
// (starting at the event code): a legacy LE Advertising Report for legacy event
// types, an LE Extended Advertising Report for EventExtended. A legacy
// advertisement that also carries ScanResponse becomes two reports in one event,
// the second a SCAN_RSP, as a controller reports an active scan.
func EncodeEvent(ad advert.Advertisement) ([]byte, error) {
	if ad.EventType == advert.EventExtended {
		return encodeExtended(ad)
	}
	return encodeLegacy(ad)
}

// EncodeEvents encodes ad as the events a controller would send for it: one,
// unless extended advertising data exceeds what one event holds, in which case
// it is split into reports marked "incomplete, more data to come" and a last
// one with ad's own Data_Status (Core Spec Vol 4 Part E 7.7.65.13).
func EncodeEvents(ad advert.Advertisement) ([][]byte, error) {
	data := dataOf(&ad)
	if ad.EventType != advert.EventExtended || len(data) <= maxExtendedData {
		event, err := EncodeEvent(ad)
		return [][]byte{event}, err
	}
	var events [][]byte
	for len(data) > 0 {
		frag := ad
		n := min(len(data), maxExtendedData)
		setData(&frag, data[:n])
		if data = data[n:]; len(data) > 0 {
			frag.ExtendedProperties = frag.ExtendedProperties&^dataStatus | advert.PropDataIncomplete
		}
		event, err := encodeExtended(frag)
		if err != nil {
			return nil, err
		}
		events = append(events, event)
	}
	return events, nil
}

func encodeLegacy(ad advert.Advertisement) ([]byte, error) {
	code, ok := legacyCode(ad.EventType)
	if !ok {
		return nil, fmt.Errorf("encoding LE Advertising Report: event type %v is not legacy", ad.EventType)
	}
	addrType, err := addressTypeCode(ad.AddressType, false)
	if err != nil {
		return nil, err
	}
	data := ad.Payload
	if ad.EventType == advert.EventScanRsp {
		data = ad.ScanResponse
	}
	if len(data) > advert.MaxLegacyPayload || len(ad.ScanResponse) > advert.MaxLegacyPayload {
		return nil, fmt.Errorf("encoding LE Advertising Report: data over %d bytes", advert.MaxLegacyPayload)
	}
	reports := [][]byte{legacyReportBytes(code, addrType, ad, data)}
	if ad.EventType != advert.EventScanRsp && len(ad.ScanResponse) > 0 {
		reports = append(reports, legacyReportBytes(0x04, addrType, ad, ad.ScanResponse))
	}
	params := []byte{SubeventAdvertisingReport, byte(len(reports))}
	for _, r := range reports {
		params = append(params, r...)
	}
	return append([]byte{EventLEMeta, byte(len(params))}, params...), nil
}

func legacyReportBytes(code, addrType byte, ad advert.Advertisement, data []byte) []byte {
	addr := ad.Address.LittleEndian()
	r := append([]byte{code, addrType}, addr[:]...)
	r = append(r, byte(len(data)))
	r = append(r, data...)
	return append(r, byte(ad.RSSI))
}

func encodeExtended(ad advert.Advertisement) ([]byte, error) {
	data := ad.Payload
	if ad.ExtendedProperties.Has(advert.PropScanResponse) {
		data = ad.ScanResponse
	}
	if len(data) > maxExtendedData {
		return nil, fmt.Errorf("encoding LE Extended Advertising Report: %d data bytes, one event fits %d", len(data), maxExtendedData)
	}
	addrType, err := addressTypeCode(ad.AddressType, true)
	if err != nil {
		return nil, err
	}
	phy, err := phyCode(ad.PHY)
	if err != nil {
		return nil, err
	}
	r := make([]byte, extendedReportFixedLen, extendedReportFixedLen+len(data))
	binary.LittleEndian.PutUint16(r[0:2], uint16(ad.ExtendedProperties&^advert.PropLegacy))
	r[2] = addrType
	if ad.AddressType != advert.AddressAnonymous {
		addr := ad.Address.LittleEndian()
		copy(r[3:9], addr[:])
	}
	r[9], r[11] = phy, extendedSIDUnavailable
	if ad.SecondaryPHY != advert.PHYUnspecified {
		if r[10], err = phyCode(ad.SecondaryPHY); err != nil {
			return nil, err
		}
	}
	if ad.SIDKnown {
		r[11] = ad.SID
	}
	r[12] = extendedTxPowerUnavailable
	if ad.TxPowerKnown {
		r[12] = byte(ad.TxPower)
	}
	r[13] = byte(ad.RSSI)
	r[23] = byte(len(data))
	r = append(r, data...)
	params := append([]byte{SubeventExtendedAdvReport, 1}, r...)
	return append([]byte{EventLEMeta, byte(len(params))}, params...), nil
}

func legacyCode(t advert.EventType) (byte, bool) {
	for code, et := range legacyEventTypes {
		if et == t {
			return code, true
		}
	}
	return 0, false
}

func addressTypeCode(t advert.AddressType, extended bool) (byte, error) {
	switch {
	case t == advert.AddressPublic:
		return 0x00, nil
	case t == advert.AddressRandom:
		return 0x01, nil
	case t == advert.AddressAnonymous && extended:
		return extendedAddressAnonymous, nil
	}
	return 0, fmt.Errorf("encoding HCI report: address type %v cannot be encoded", t)
}

func phyCode(p advert.PHY) (byte, error) {
	for code, phy := range phys {
		if phy == p {
			return code, nil
		}
	}
	return 0, fmt.Errorf("encoding LE Extended Advertising Report: PHY %v cannot be encoded", p)
}
