package source

import (
	"fmt"
	"net"
	"time"

	"github.com/go-ble/ble"

	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/hci"
)

// Report is what go-ble's Linux scanner tells of one legacy advertising report
// (its *hci.Advertisement): the raw HCI fields, before any decoding.
type Report interface {
	EventType() uint8
	AddressType() uint8
	Addr() ble.Addr
	RSSI() int
	Data() []byte
	ScanResponse() []byte
}

// FromReport maps a go-ble report to an advertisement, by re-encoding its
// fields as the HCI LE Advertising Report they came from and decoding that with
// package hci, so local scanning and replayed HCI logs share one mapping.
// go-ble hands a SCAN_RSP over merged into the advertisement it answers; that
// yields a SCAN_RSP advertisement carrying only the scan response, as a
// controller reports it, since the advertising data went out before.
func FromReport(r Report, gatewayID string, at time.Time) (advert.Advertisement, error) {
	mac, err := net.ParseMAC(r.Addr().String())
	if err != nil || len(mac) != 6 {
		return advert.Advertisement{}, fmt.Errorf("mapping HCI report: address %q: want six bytes", r.Addr())
	}
	rawAddr := advert.Address(mac).LittleEndian()
	eventType, data := r.EventType(), r.Data()
	if sr := r.ScanResponse(); sr != nil {
		eventType, data = 0x04, sr
	}
	if len(data) > advert.MaxLegacyPayload {
		return advert.Advertisement{}, fmt.Errorf("mapping HCI report: %d data bytes exceed 31", len(data))
	}
	params := []byte{hci.SubeventAdvertisingReport, 1, eventType, r.AddressType()}
	params = append(params, rawAddr[:]...)
	params = append(params, byte(len(data)))
	params = append(params, data...)
	params = append(params, byte(int8(r.RSSI())))
	event := append([]byte{hci.EventLEMeta, byte(len(params))}, params...)
	ads, err := hci.DecodeEvent(event, hci.Origin{GatewayID: gatewayID, ReceivedAt: at, Source: advert.SourceHCI})
	if err != nil {
		return advert.Advertisement{}, fmt.Errorf("mapping HCI report: %w", err)
	}
	return ads[0], nil
}
