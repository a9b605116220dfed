package hci

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
)

func TestEncodeReproducesRecordedEvent(t *testing.T) {
	t.Parallel()
	// android-btsnoop-mixed.btsnoop frame 173 (see event_test.go).
	recorded := unhex(t, "3e 1b 02 01 03 01 3a 62 78 fb c7 01 0f 02 01 1a 0b ff 4c 00 09 06 03 02 c0 a8 32 84 ac")
	ads, err := DecodeEvent(recorded, origin)
	if err != nil {
		t.Fatal(err)
	}
	got, err := EncodeEvent(ads[0])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, recorded) {
		t.Fatalf("EncodeEvent = % x\nwant          % x", got, recorded)
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	t.Parallel()
	base := advert.Advertisement{
		GatewayID: origin.GatewayID, ReceivedAt: origin.ReceivedAt, Source: origin.Source,
		Address: advert.Address{0xC6, 1, 2, 3, 4, 5}, AddressType: advert.AddressRandom, RSSI: -71, PHY: advert.PHY1M,
	}
	legacy := base
	legacy.EventType, legacy.Payload = advert.EventAdvInd, []byte{2, 1, 6, 3, 9, 'h', 'i'}
	ext := base
	ext.EventType, ext.ExtendedProperties, ext.PHY = advert.EventExtended, advert.PropScannable, advert.PHY2M
	ext.TxPower, ext.TxPowerKnown = 4, true
	ext.Payload = bytes.Repeat([]byte{0xAB}, maxExtendedData)
	for _, ad := range []advert.Advertisement{legacy, ext} {
		ev, err := EncodeEvent(ad)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeEvent(ev, origin)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || !reflect.DeepEqual(got[0], ad) {
			t.Errorf("round trip of %v:\n got %+v\nwant %+v", ad.EventType, got, ad)
		}
	}
}

func TestEncodeScanResponseAsSecondReport(t *testing.T) {
	t.Parallel()
	ad := advert.Advertisement{EventType: advert.EventAdvScanInd, AddressType: advert.AddressPublic, RSSI: -50,
		Payload: []byte{2, 1, 6}, ScanResponse: []byte{3, 9, 'a', 'b'}, Source: advert.SourceHCI}
	ev, err := EncodeEvent(ad)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeEvent(ev, origin)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].EventType != advert.EventScanRsp || !bytes.Equal(got[1].ScanResponse, ad.ScanResponse) {
		t.Fatalf("got %+v", got)
	}
}

func TestEncodeRejectsWhatHCICannotCarry(t *testing.T) {
	t.Parallel()
	tests := []advert.Advertisement{
		{EventType: advert.EventAdvInd, AddressType: advert.AddressAnonymous},
		{EventType: advert.EventAdvInd, AddressType: advert.AddressPublic, Payload: make([]byte, 32)},
		{EventType: advert.EventExtended, AddressType: advert.AddressPublic, PHY: advert.PHY1M, Payload: make([]byte, maxExtendedData+1)},
		{EventType: advert.EventExtended, AddressType: advert.AddressPublic},
	}
	for i, ad := range tests {
		if _, err := EncodeEvent(ad); err == nil {
			t.Errorf("case %d: EncodeEvent(%+v) succeeded, want error", i, ad)
		}
	}
}

func FuzzDecodeEvent(f *testing.F) {
	f.Add(unhex(f, "3e 1b 02 01 03 01 3a 62 78 fb c7 01 0f 02 01 1a 0b ff 4c 00 09 06 03 02 c0 a8 32 84 ac"))
	f.Add(unhex(f, "3e 1a 0d 01 1b 00 00 00 00 00 00 00 00 01 00 ff 7f d0 00 00 00 00 00 00 00 00 00 00"))
	f.Fuzz(func(t *testing.T, event []byte) {
		ads, err := DecodeEvent(event, origin)
		if err != nil {
			return
		}
		for _, ad := range ads {
			if len(ad.Payload) > advert.MaxExtendedPayload || len(ad.ScanResponse) > advert.MaxExtendedPayload {
				t.Fatalf("decoded oversized data: %d/%d", len(ad.Payload), len(ad.ScanResponse))
			}
			if !ad.AddressType.Known() {
				t.Fatalf("decoded unknown address type %v", ad.AddressType)
			}
		}
	})
}
