package capture

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/hci"
)

// Link types from the tcpdump.org LINKTYPE registry.
const (
	LinkTypeHCIH4WithPHDR = 201 // LINKTYPE_BLUETOOTH_HCI_H4_WITH_PHDR
	LinkTypeLELL          = 251 // LINKTYPE_BLUETOOTH_LE_LL
	LinkTypeLELLWithPHDR  = 256 // LINKTYPE_BLUETOOTH_LE_LL_WITH_PHDR
	LinkTypeNordicBLE     = 272 // LINKTYPE_NORDIC_BLE
)

// decoded is what one record yields.
type decoded struct {
	ads     []advert.Advertisement
	outcome outcome
}

func single(ad advert.Advertisement, out outcome) decoded {
	if out != outAdvertisement {
		return decoded{outcome: out}
	}
	return decoded{ads: []advert.Advertisement{ad}, outcome: out}
}

// decodeH4 decodes an HCI packet prefixed with its UART packet-type byte.
func decodeH4(pkt []byte, at time.Time, o Options) decoded {
	const h4Event = 0x04
	if len(pkt) < 1 {
		return decoded{outcome: outMalformed}
	}
	if pkt[0] != h4Event {
		return decoded{outcome: outOther}
	}
	return decodeHCIEvent(pkt[1:], at, o)
}

func decodeHCIEvent(event []byte, at time.Time, o Options) decoded {
	ads, err := hci.DecodeEvent(event, hci.Origin{GatewayID: o.GatewayID, ReceivedAt: at, Source: advert.SourceReplay})
	switch {
	case errors.Is(err, hci.ErrNotAdvertisingReport):
		return decoded{outcome: outOther}
	case err != nil:
		return decoded{outcome: outMalformed}
	}
	return decoded{ads: ads, outcome: outAdvertisement}
}

// decodeH4WithPHDR strips the 4-byte direction header of link type 201.
func decodeH4WithPHDR(pkt []byte, at time.Time, o Options) decoded {
	if len(pkt) < 4 {
		return decoded{outcome: outMalformed}
	}
	return decodeH4(pkt[4:], at, o)
}

// LE LL with PHDR flags (tcpdump.org LINKTYPE_BLUETOOTH_LE_LL_WITH_PHDR).
const (
	phdrSignalValid = 0x0002
	phdrCRCChecked  = 0x0400
	phdrCRCValid    = 0x0800
	phdrLength      = 10
)

// decodeLEWithPHDR reads the 10-byte pseudo-header: RF channel, signal power,
// noise power, access address offenses, reference access address, flags.
func decodeLEWithPHDR(pkt []byte, at time.Time, o Options) decoded {
	if len(pkt) < phdrLength {
		return decoded{outcome: outMalformed}
	}
	flags := binary.LittleEndian.Uint16(pkt[8:10])
	r := radio{receivedAt: at, rssi: advert.RSSIUnavailable, crc: crcUnchecked}
	if ch, ok := channelIndex(pkt[0]); ok {
		r.channel, r.channelKnown = ch, true
	}
	if flags&phdrSignalValid != 0 {
		r.rssi = int8(pkt[1])
	}
	if flags&phdrCRCChecked != 0 {
		r.crc = crcInvalid
		if flags&phdrCRCValid != 0 {
			r.crc = crcValid
		}
	}
	r.phy = [...]advert.PHY{advert.PHY1M, advert.PHY2M, advert.PHYCoded, advert.PHYUnspecified}[flags>>14]
	return single(decodeLinkLayer(pkt[phdrLength:], r, o))
}

// channelIndex converts an RF channel (0-39, 2402 + 2k MHz) to the channel index
// the link layer uses: RF 0, 12 and 39 are advertising channels 37, 38 and 39.
func channelIndex(rf uint8) (uint8, bool) {
	switch {
	case rf == 0:
		return 37, true
	case rf == 12:
		return 38, true
	case rf == 39:
		return 39, true
	case rf < 12:
		return rf - 1, true
	case rf < 39:
		return rf - 2, true
	}
	return 0, false
}

// decodeLELL decodes link type 251: the bare packet, CRC included, no radio data.
func decodeLELL(pkt []byte, at time.Time, o Options) decoded {
	return single(decodeLinkLayer(pkt, radio{receivedAt: at, rssi: advert.RSSIUnavailable}, o))
}
