package source

import (
	"encoding/hex"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-ble/ble"
	"github.com/go-ble/ble/linux/hci/evt"

	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/hci"
)

// goBLEReport reads one report of an event the way go-ble's Linux scanner
// does: through its evt parser, with the address reversed into display order.
type goBLEReport struct {
	e  evt.LEAdvertisingReport
	sr []byte
}

func (r goBLEReport) EventType() uint8   { return r.e.EventType(0) }
func (r goBLEReport) AddressType() uint8 { return r.e.AddressType(0) }
func (r goBLEReport) RSSI() int          { return int(r.e.RSSI(0)) }
func (r goBLEReport) Data() []byte       { return r.e.Data(0) }
func (r goBLEReport) ScanResponse() []byte {
	return r.sr
}
func (r goBLEReport) Addr() ble.Addr {
	b := r.e.Address(0)
	return net.HardwareAddr{b[5], b[4], b[3], b[2], b[1], b[0]}
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Report bytes recorded in an Android btsnoop log (frames 134 and 173), mapped
// through go-ble's parser, give the advertisement package hci decodes.
func TestHCIReportMapping(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for name, event := range map[string]string{
		"scan_rsp_public":        "3e 27 02 01 04 00 ab 6f bf 38 c1 a4 1b 1a ff 4c 00 02 15 49 4e 54 45 4c 4c 49 5f 52 4f 43 4b 53 5f 48 57 50 72 f2 ff c2 cf",
		"adv_nonconn_ind_random": "3e 1b 02 01 03 01 3a 62 78 fb c7 01 0f 02 01 1a 0b ff 4c 00 09 06 03 02 c0 a8 32 84 ac",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			raw := unhex(t, event)
			want, err := hci.DecodeEvent(raw, hci.Origin{GatewayID: "local", ReceivedAt: at, Source: advert.SourceHCI})
			if err != nil {
				t.Fatal(err)
			}
			got, err := FromReport(goBLEReport{e: evt.LEAdvertisingReport(raw[2:])}, "local", at)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want[0]) {
				t.Fatalf("got  %+v\nwant %+v", got, want[0])
			}
		})
	}
}

// go-ble merges a SCAN_RSP into the ADV_IND it answers; the mapping reports the
// scan response on its own, as the controller did.
func TestHCIMergedScanResponse(t *testing.T) {
	t.Parallel()
	adv := unhex(t, "3e 1b 02 01 00 01 3a 62 78 fb c7 01 0f 02 01 1a 0b ff 4c 00 09 06 03 02 c0 a8 32 84 ac")
	sr := []byte{0x05, 0x09, 'n', 'a', 'm', 'e'}
	got, err := FromReport(goBLEReport{e: evt.LEAdvertisingReport(adv[2:]), sr: sr}, "local", time.Unix(1, 0))
	if err != nil {
		t.Fatal(err)
	}
	if got.EventType != advert.EventScanRsp || string(got.ScanResponse) != string(sr) || len(got.Payload) != 0 || got.Address.String() != "01:C7:FB:78:62:3A" {
		t.Fatalf("got %+v", got)
	}
}
