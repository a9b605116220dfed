package hci

import (
	"encoding/binary"
	"fmt"

	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
)

var phys = map[byte]advert.PHY{0x01: advert.PHY1M, 0x02: advert.PHY2M, 0x03: advert.PHYCoded}

// legacyByExtendedType lists the only event types an extended report may carry
// with the legacy bit set (Core Spec Vol 4 Part E 7.7.65.13, table of legacy PDUs).
var legacyByExtendedType = map[uint16]advert.EventType{
	0x13: advert.EventAdvInd,
	0x15: advert.EventAdvDirectInd,
	0x12: advert.EventAdvScanInd,
	0x10: advert.EventAdvNonconnInd,
	0x1B: advert.EventScanRsp,
	0x1A: advert.EventScanRsp,
}

// decodeExtendedReports reads each report's 24 fixed bytes and its data. Fragments
// of one advertisement (data status "incomplete") stay separate advertisements
// with PropDataIncomplete set: reassembly needs state across events.
func decodeExtendedReports(p []byte, o Origin) ([]advert.Advertisement, error) {
	n, p, err := numReports(p, "LE Extended Advertising Report")
	if err != nil {
		return nil, err
	}
	ads := make([]advert.Advertisement, 0, n)
	for i := range n {
		if len(p) < extendedReportFixedLen {
			return nil, fmt.Errorf("decoding LE Extended Advertising Report %d of %d: %d bytes left, need %d", i+1, n, len(p), extendedReportFixedLen)
		}
		dataLen := int(p[23])
		if len(p) < extendedReportFixedLen+dataLen {
			return nil, fmt.Errorf("decoding LE Extended Advertising Report %d of %d: Data_Length %d but %d bytes left", i+1, n, dataLen, len(p)-extendedReportFixedLen)
		}
		ad, err := extendedReport(p[:extendedReportFixedLen+dataLen], o)
		if err != nil {
			return nil, fmt.Errorf("decoding LE Extended Advertising Report %d of %d: %w", i+1, n, err)
		}
		ads = append(ads, ad)
		p = p[extendedReportFixedLen+dataLen:]
	}
	if len(p) != 0 {
		return nil, fmt.Errorf("decoding LE Extended Advertising Report: %d trailing bytes after %d reports", len(p), n)
	}
	return ads, nil
}

func extendedReport(p []byte, o Origin) (advert.Advertisement, error) {
	props := advert.ExtendedProperties(binary.LittleEndian.Uint16(p[0:2]))
	ad := advert.Advertisement{
		GatewayID:  o.GatewayID,
		ReceivedAt: o.ReceivedAt,
		RSSI:       int8(p[13]),
		Source:     o.Source,
	}
	if err := setExtendedType(&ad, props); err != nil {
		return ad, err
	}
	if err := setExtendedAddress(&ad, p[2], p[3:9]); err != nil {
		return ad, err
	}
	phy, ok := phys[p[9]]
	if !ok {
		return ad, fmt.Errorf("unknown Primary_PHY 0x%02x", p[9])
	}
	ad.PHY = phy
	// Secondary_PHY 0x00 means no packets on the secondary channel.
	if p[10] != 0 {
		if ad.SecondaryPHY, ok = phys[p[10]]; !ok {
			return ad, fmt.Errorf("unknown Secondary_PHY 0x%02x", p[10])
		}
	}
	if p[11] != extendedSIDUnavailable {
		ad.SID, ad.SIDKnown = p[11], true
	}
	if int8(p[12]) != extendedTxPowerUnavailable {
		ad.TxPower, ad.TxPowerKnown = int8(p[12]), true
	}
	data := append([]byte(nil), p[24:]...)
	if props.Has(advert.PropScanResponse) {
		ad.ScanResponse = data
	} else {
		ad.Payload = data
	}
	return ad, nil
}

func setExtendedType(ad *advert.Advertisement, props advert.ExtendedProperties) error {
	if !props.Has(advert.PropLegacy) {
		ad.EventType, ad.ExtendedProperties = advert.EventExtended, props
		return nil
	}
	typ, ok := legacyByExtendedType[uint16(props)&0x1F]
	if !ok || props&(3<<5) != 0 {
		return fmt.Errorf("Event_Type 0x%04x has the legacy bit but is no legacy PDU", uint16(props))
	}
	ad.EventType = typ
	return nil
}

func setExtendedAddress(ad *advert.Advertisement, typ byte, addr []byte) error {
	if typ == extendedAddressAnonymous {
		ad.AddressType = advert.AddressAnonymous
		return nil
	}
	at, ok := addressTypes[typ]
	if !ok {
		return fmt.Errorf("unknown Address_Type 0x%02x", typ)
	}
	ad.AddressType, ad.Address = at, advert.AddressFromLittleEndian(addr)
	return nil
}
