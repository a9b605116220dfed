package hci

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
)

var origin = Origin{GatewayID: "gw-test", ReceivedAt: time.Unix(1612150079, 0).UTC(), Source: advert.SourceHCI}

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Recorded events are from ../shared/data/captures/android-btsnoop-mixed.btsnoop
// (csacca/horizon-74-at-ble, btsnoop_hci.log), frame numbers as tshark shows them,
// without the H4 packet-type byte; expectations checked against `tshark -V`.
func TestDecodeRecordedLegacyReports(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		event    string
		addr     string
		addrType advert.AddressType
		typ      advert.EventType
		rssi     int8
		dataHex  string
	}{
		{
			name:     "android_btsnoop_frame_134_scan_rsp_govee",
			event:    "3e 27 02 01 04 00 ab 6f bf 38 c1 a4 1b 1a ff 4c 00 02 15 49 4e 54 45 4c 4c 49 5f 52 4f 43 4b 53 5f 48 57 50 72 f2 ff c2 cf",
			addr:     "A4:C1:38:BF:6F:AB",
			addrType: advert.AddressPublic,
			typ:      advert.EventScanRsp,
			rssi:     -49,
			dataHex:  "1a ff 4c 00 02 15 49 4e 54 45 4c 4c 49 5f 52 4f 43 4b 53 5f 48 57 50 72 f2 ff c2",
		},
		{
			name:     "android_btsnoop_frame_173_adv_nonconn_ind_apple",
			event:    "3e 1b 02 01 03 01 3a 62 78 fb c7 01 0f 02 01 1a 0b ff 4c 00 09 06 03 02 c0 a8 32 84 ac",
			addr:     "01:C7:FB:78:62:3A",
			addrType: advert.AddressRandom,
			typ:      advert.EventAdvNonconnInd,
			rssi:     -84,
			dataHex:  "02 01 1a 0b ff 4c 00 09 06 03 02 c0 a8 32 84",
		},
		{
			name:     "android_btsnoop_frame_231_adv_scan_ind_google",
			event:    "3e 28 02 01 02 01 0d f7 b2 3f 23 5b 1c 03 03 9f fe 17 16 9f fe 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 a4",
			addr:     "5B:23:3F:B2:F7:0D",
			addrType: advert.AddressRandom,
			typ:      advert.EventAdvScanInd,
			rssi:     -92,
			dataHex:  "03 03 9f fe 17 16 9f fe 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ads, err := DecodeEvent(unhex(t, tt.event), origin)
			if err != nil {
				t.Fatal(err)
			}
			if len(ads) != 1 {
				t.Fatalf("got %d advertisements, want 1", len(ads))
			}
			ad := ads[0]
			if ad.Address.String() != tt.addr || ad.AddressType != tt.addrType || ad.EventType != tt.typ || ad.RSSI != tt.rssi {
				t.Errorf("got %v %v %v rssi %d, want %s %v %v rssi %d", ad.Address, ad.AddressType, ad.EventType, ad.RSSI, tt.addr, tt.addrType, tt.typ, tt.rssi)
			}
			data := ad.Payload
			if tt.typ == advert.EventScanRsp {
				data = ad.ScanResponse
			}
			if want := unhex(t, tt.dataHex); !bytes.Equal(data, want) {
				t.Errorf("data = % x, want % x", data, want)
			}
			if ad.GatewayID != origin.GatewayID || !ad.ReceivedAt.Equal(origin.ReceivedAt) || ad.Source != advert.SourceHCI || ad.PHY != advert.PHY1M {
				t.Errorf("origin fields not carried over: %+v", ad)
			}
			if err := ad.Validate(); err != nil {
				t.Errorf("decoded advertisement invalid: %v", err)
			}
		})
	}
}

// The extended report is built by hand from the field table of Core Spec Vol 4
// Part E 7.7.65.13.
func TestDecodeHandBuiltExtendedReport(t *testing.T) {
	t.Parallel()
	event := unhex(t, "3e 1d 0d 01"+
		" 01 00"+ // Event_Type: connectable, not legacy, data complete
		" 01 11 22 33 44 55 c6"+ // random static address C6:55:44:33:22:11
		" 03 02"+ // Primary_PHY Coded, Secondary_PHY 2M
		" 05 f8 c4"+ // SID 5, TX power -8 dBm, RSSI -60 dBm
		" 00 00 00 00 00 00 00 00 00"+ // no periodic interval, direct address
		" 03 02 01 06") // Data_Length 3, flags AD
	ads, err := DecodeEvent(event, origin)
	if err != nil {
		t.Fatal(err)
	}
	ad := ads[0]
	if ad.EventType != advert.EventExtended || !ad.ExtendedProperties.Has(advert.PropConnectable) || ad.ExtendedProperties.Has(advert.PropScannable) {
		t.Errorf("event type %v props %#x", ad.EventType, ad.ExtendedProperties)
	}
	if ad.Address.String() != "C6:55:44:33:22:11" || ad.RandomKind() != advert.RandomStatic {
		t.Errorf("address %v kind %v", ad.Address, ad.RandomKind())
	}
	if ad.PHY != advert.PHYCoded || !ad.TxPowerKnown || ad.TxPower != -8 || ad.RSSI != -60 {
		t.Errorf("phy %v tx %d/%v rssi %d", ad.PHY, ad.TxPower, ad.TxPowerKnown, ad.RSSI)
	}
	if !bytes.Equal(ad.Payload, []byte{2, 1, 6}) {
		t.Errorf("payload % x", ad.Payload)
	}
}

func TestDecodeExtendedLegacyAndAnonymous(t *testing.T) {
	t.Parallel()
	build := func(evtType string, addrType string) []byte {
		return unhex(t, "3e 1a 0d 01 "+evtType+" "+addrType+" 00 00 00 00 00 00 01 00 ff 7f d0 00 00 00 00 00 00 00 00 00 00")
	}
	ads, err := DecodeEvent(build("1b 00", "00"), origin)
	if err != nil || ads[0].EventType != advert.EventScanRsp || ads[0].TxPowerKnown {
		t.Fatalf("legacy SCAN_RSP through extended report: %+v, %v", ads, err)
	}
	ads, err = DecodeEvent(build("00 00", "ff"), origin)
	if err != nil || ads[0].AddressType != advert.AddressAnonymous {
		t.Fatalf("anonymous extended report: %+v, %v", ads, err)
	}
}

func TestDecodeRejectsMalformedEvents(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, event, wantErr string
	}{
		{"length_mismatch", "3e 05 02 01", "parameter length 5"},
		{"zero_reports", "3e 02 02 00", "Num_Reports is 0"},
		{"truncated_report", "3e 05 02 01 00 00 ab", "need 10"},
		{"data_length_overruns", "3e 0c 02 01 00 00 ab 6f bf 38 c1 a4 1f cf", "Data_Length 31 does not fit"},
		{"unknown_event_type", "3e 0c 02 01 09 00 ab 6f bf 38 c1 a4 00 cf", "unknown Event_Type 0x09"},
		{"unknown_address_type", "3e 0c 02 01 00 07 ab 6f bf 38 c1 a4 00 cf", "unknown Address_Type 0x07"},
		{"trailing_bytes", "3e 0d 02 01 00 00 ab 6f bf 38 c1 a4 00 cf ee", "1 trailing bytes"},
		{"extended_bad_phy", "3e 1a 0d 01 00 00 00 00 00 00 00 00 00 09 00 ff 7f d0 00 00 00 00 00 00 00 00 00 00", "unknown Primary_PHY 0x09"},
		{"extended_legacy_bit_bad_type", "3e 1a 0d 01 14 00 00 00 00 00 00 00 00 01 00 ff 7f d0 00 00 00 00 00 00 00 00 00 00", "no legacy PDU"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := DecodeEvent(unhex(t, tt.event), origin)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestDecodeSkipsOtherEvents(t *testing.T) {
	t.Parallel()
	// Command Complete for HCI_Reset: not an advertising report.
	for _, ev := range []string{"0e 04 01 03 0c 00", "3e 0b 03 00 40 00 06 00 00 00 f4 01 00"} {
		if _, err := DecodeEvent(unhex(t, ev), origin); !errors.Is(err, ErrNotAdvertisingReport) {
			t.Errorf("DecodeEvent(%s) = %v, want ErrNotAdvertisingReport", ev, err)
		}
	}
}
