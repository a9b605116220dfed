package capture

import (
	"encoding/binary"
	"time"

	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
)

// advertisingAccessAddress is the access address of every advertising-channel
// packet (Core Spec Vol 6 Part B 2.1.2).
const advertisingAccessAddress = 0x8E89BED6

// Advertising PDU types (Core Spec Vol 6 Part B 2.3).
const (
	pduAdvInd       = 0x0
	pduAdvDirectInd = 0x1
	pduAdvNonconn   = 0x2
	pduScanRsp      = 0x4
	pduAdvScanInd   = 0x6
	pduAdvExt       = 0x7
)

var legacyPDUs = map[byte]advert.EventType{
	pduAdvInd:       advert.EventAdvInd,
	pduAdvDirectInd: advert.EventAdvDirectInd,
	pduAdvNonconn:   advert.EventAdvNonconnInd,
	pduScanRsp:      advert.EventScanRsp,
	pduAdvScanInd:   advert.EventAdvScanInd,
}

// outcome classifies one record for Stats.
type outcome int

const (
	outAdvertisement outcome = iota
	outBadCRC
	outOther
	outMalformed
)

// crcStatus says what the capture header already knows about a packet's CRC.
type crcStatus int

const (
	crcUnchecked crcStatus = iota
	crcValid
	crcInvalid
)

// radio carries the facts a link-layer pseudo-header adds to a packet.
type radio struct {
	receivedAt   time.Time
	rssi         int8
	phy          advert.PHY
	channel      uint8
	channelKnown bool
	crc          crcStatus
}

// decodeLinkLayer decodes an uncoded link-layer packet: access address (4), PDU
// header (2), payload, CRC (3).
func decodeLinkLayer(pkt []byte, r radio, o Options) (advert.Advertisement, outcome) {
	if len(pkt) < 4+2+3 {
		return advert.Advertisement{}, outMalformed
	}
	if binary.LittleEndian.Uint32(pkt) != advertisingAccessAddress {
		return advert.Advertisement{}, outOther
	}
	pdu := pkt[4:]
	length := int(pdu[1])
	if len(pdu) < 2+length+3 {
		return advert.Advertisement{}, outMalformed
	}
	if !crcOK(r.crc, pdu[:2+length], pdu[2+length:2+length+3]) {
		return advert.Advertisement{}, outBadCRC
	}
	ad := advert.Advertisement{
		GatewayID:    o.GatewayID,
		ReceivedAt:   r.receivedAt,
		RSSI:         r.rssi,
		PHY:          r.phy,
		Channel:      r.channel,
		ChannelKnown: r.channelKnown,
		Source:       advert.SourceReplay,
	}
	header, payload := pdu[0], pdu[2:2+length]
	if header&0x0F == pduAdvExt {
		return decodeExtendedPDU(ad, header, payload)
	}
	return decodeLegacyPDU(ad, header, payload)
}

func crcOK(status crcStatus, pdu, crc []byte) bool {
	switch status {
	case crcValid:
		return true
	case crcInvalid:
		return false
	}
	want := uint32(crc[0]) | uint32(crc[1])<<8 | uint32(crc[2])<<16
	return linkLayerCRC(advertisingCRCInit, pdu) == want
}

func decodeLegacyPDU(ad advert.Advertisement, header byte, payload []byte) (advert.Advertisement, outcome) {
	typ, ok := legacyPDUs[header&0x0F]
	if !ok {
		return ad, outOther // SCAN_REQ, CONNECT_IND, AUX_CONNECT_RSP, reserved
	}
	minLen := 6
	if typ == advert.EventAdvDirectInd {
		minLen = 12 // AdvA and TargetA, no data
	}
	if len(payload) < minLen || len(payload)-6 > advert.MaxLegacyPayload {
		return ad, outMalformed
	}
	ad.EventType = typ
	ad.Address, ad.AddressType = advert.AddressFromLittleEndian(payload[:6]), txAddressType(header)
	data := append([]byte(nil), payload[6:]...)
	switch typ {
	case advert.EventScanRsp:
		ad.ScanResponse = data
	case advert.EventAdvDirectInd:
	default:
		ad.Payload = data
	}
	return ad, outAdvertisement
}

// txAddressType reads the TxAdd bit of the PDU header.
func txAddressType(header byte) advert.AddressType {
	if header&0x40 != 0 {
		return advert.AddressRandom
	}
	return advert.AddressPublic
}
