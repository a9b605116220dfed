package hci

import (
	"fmt"

	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
)

// Legacy report event types (Core Spec Vol 4 Part E 7.7.65.2).
var legacyEventTypes = map[byte]advert.EventType{
	0x00: advert.EventAdvInd,
	0x01: advert.EventAdvDirectInd,
	0x02: advert.EventAdvScanInd,
	0x03: advert.EventAdvNonconnInd,
	0x04: advert.EventScanRsp,
}

// addressTypes maps HCI address types; 0x02 and 0x03 are identity addresses the
// controller resolved from an RPA, which are public and random static addresses.
var addressTypes = map[byte]advert.AddressType{
	0x00: advert.AddressPublic,
	0x01: advert.AddressRandom,
	0x02: advert.AddressPublic,
	0x03: advert.AddressRandom,
}

// decodeLegacyReports reads reports one after another (type, address type,
// address, length, data, RSSI), the layout controllers send and BlueZ parses;
// the spec's parallel-array notation is identical for the usual single report.
func decodeLegacyReports(p []byte, o Origin) ([]advert.Advertisement, error) {
	n, p, err := numReports(p, "LE Advertising Report")
	if err != nil {
		return nil, err
	}
	ads := make([]advert.Advertisement, 0, n)
	for i := range n {
		if len(p) < legacyReportFixedLen {
			return nil, fmt.Errorf("decoding LE Advertising Report %d of %d: %d bytes left, need %d", i+1, n, len(p), legacyReportFixedLen)
		}
		dataLen := int(p[8])
		if dataLen > advert.MaxLegacyPayload || len(p) < legacyReportFixedLen+dataLen {
			return nil, fmt.Errorf("decoding LE Advertising Report %d of %d: Data_Length %d does not fit (%d bytes left, max 31)", i+1, n, dataLen, len(p)-legacyReportFixedLen)
		}
		ad, err := legacyReport(p, dataLen, o)
		if err != nil {
			return nil, fmt.Errorf("decoding LE Advertising Report %d of %d: %w", i+1, n, err)
		}
		ads = append(ads, ad)
		p = p[legacyReportFixedLen+dataLen:]
	}
	if len(p) != 0 {
		return nil, fmt.Errorf("decoding LE Advertising Report: %d trailing bytes after %d reports", len(p), n)
	}
	return ads, nil
}

func legacyReport(p []byte, dataLen int, o Origin) (advert.Advertisement, error) {
	typ, ok := legacyEventTypes[p[0]]
	if !ok {
		return advert.Advertisement{}, fmt.Errorf("unknown Event_Type 0x%02x", p[0])
	}
	addrType, ok := addressTypes[p[1]]
	if !ok {
		return advert.Advertisement{}, fmt.Errorf("unknown Address_Type 0x%02x", p[1])
	}
	data := append([]byte(nil), p[9:9+dataLen]...)
	ad := advert.Advertisement{
		GatewayID:   o.GatewayID,
		ReceivedAt:  o.ReceivedAt,
		Address:     advert.AddressFromLittleEndian(p[2:8]),
		AddressType: addrType,
		RSSI:        int8(p[9+dataLen]),
		PHY:         advert.PHY1M, // legacy advertising only exists on LE 1M
		EventType:   typ,
		Source:      o.Source,
	}
	if typ == advert.EventScanRsp {
		ad.ScanResponse = data
	} else {
		ad.Payload = data
	}
	return ad, nil
}
