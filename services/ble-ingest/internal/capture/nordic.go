package capture

import (
	"time"

	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
)

// Nordic BLE sniffer packet IDs carrying link-layer packets: protocol 3 splits
// advertising (0x02) and data (0x06) PDUs, protocol 2 uses 0x06 for all.
const (
	nordicAdvPDU   = 0x02
	nordicEventPkt = 0x06
	nordicCRCOK    = 0x01
)

// decodeNordic reads link type 272 as the nRF Sniffer for Bluetooth LE writes it:
// board id, a packet header whose layout depends on the protocol version in byte
// 3 (v2: header length, payload length; v3: two-byte payload length), then
// packet counter (2) and packet id, then the event header (its own length, flags,
// channel index, RSSI magnitude, event counter, timestamp) and the LL packet.
func decodeNordic(pkt []byte, at time.Time, o Options) decoded {
	const packetHeaderLen = 7
	if len(pkt) < packetHeaderLen+1 {
		return decoded{outcome: outMalformed}
	}
	version, id := pkt[3], pkt[6]
	if version < 2 {
		return decoded{outcome: outMalformed} // pre-2016 firmware with a padded LL header
	}
	if id != nordicEventPkt && !(version >= 3 && id == nordicAdvPDU) {
		return decoded{outcome: outOther}
	}
	ev := pkt[packetHeaderLen:]
	evLen := int(ev[0])
	if evLen < 4 || len(ev) < evLen {
		return decoded{outcome: outMalformed}
	}
	flags := ev[1]
	r := radio{
		receivedAt:   at,
		channel:      ev[2],
		channelKnown: ev[2] <= 39,
		rssi:         -int8(ev[3]),
		crc:          crcInvalid,
		phy:          advert.PHY1M,
	}
	if flags&nordicCRCOK != 0 {
		r.crc = crcValid
	}
	if version >= 3 {
		r.phy = [...]advert.PHY{advert.PHY1M, advert.PHY2M, advert.PHYCoded, advert.PHYUnspecified}[min(int(flags>>4&0x7), 3)]
	}
	return single(decodeLinkLayer(ev[evLen:], r, o))
}
