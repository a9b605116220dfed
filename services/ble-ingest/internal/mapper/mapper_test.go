package mapper

import (
	"errors"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
)

var at = time.Date(2026, 11, 23, 9, 30, 0, 123456000, time.UTC)

func scanned() *blev1.ScannedAdvertisement {
	return &blev1.ScannedAdvertisement{
		ScannedAt:    timestamppb.New(at),
		Address:      []byte{0xC1, 0x02, 0x03, 0x04, 0x05, 0x06},
		AddressType:  blev1.AddressType_ADDRESS_TYPE_RANDOM_STATIC,
		Rssi:         -71,
		TxPower:      ptr(int32(-4)),
		PrimaryPhy:   blev1.Phy_PHY_LE_1M,
		Channel:      ptr(uint32(38)),
		EventType:    blev1.AdvertisingEventType_ADVERTISING_EVENT_TYPE_ADV_IND,
		Payload:      []byte{0x02, 0x01, 0x06, 0x03, 0x03, 0xAA, 0xFE},
		ScanResponse: []byte{0x05, 0x09, 'b', 'e', 'a', 'c'},
	}
}

func TestScannedRoundTrip(t *testing.T) {
	t.Parallel()
	ext := scanned()
	ext.EventType = blev1.AdvertisingEventType_ADVERTISING_EVENT_TYPE_EXTENDED
	ext.AddressType, ext.Address = blev1.AddressType_ADDRESS_TYPE_ANONYMOUS, nil
	ext.PrimaryPhy, ext.SecondaryPhy, ext.AdvertisingSid = blev1.Phy_PHY_LE_CODED, blev1.Phy_PHY_LE_2M, ptr(uint32(3))
	ext.Payload = make([]byte, 1650)
	ext.Channel, ext.TxPower = nil, nil
	public := scanned()
	public.AddressType = blev1.AddressType_ADDRESS_TYPE_PUBLIC
	noRSSI := scanned()
	noRSSI.Rssi, noRSSI.RssiUnavailable = 0, true
	for name, in := range map[string]*blev1.ScannedAdvertisement{"legacy_random_static": scanned(), "extended_anonymous": ext, "public": public, "no_rssi": noRSSI} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ad, err := FromScanned("gw-1", advert.SourceGateway, in)
			if err != nil {
				t.Fatal(err)
			}
			back, err := ToScanned(ad)
			if err != nil {
				t.Fatal(err)
			}
			if !proto.Equal(back, in) {
				t.Fatalf("round trip changed it:\n got %v\nwant %v", back, in)
			}
		})
	}
}

func TestFromScannedMapsFields(t *testing.T) {
	t.Parallel()
	ad, err := FromScanned("gw-1", advert.SourceGateway, scanned())
	if err != nil {
		t.Fatal(err)
	}
	want := advert.Advertisement{
		GatewayID: "gw-1", ReceivedAt: at, Address: advert.Address{0xC1, 2, 3, 4, 5, 6}, AddressType: advert.AddressRandom,
		RSSI: -71, TxPower: -4, TxPowerKnown: true, PHY: advert.PHY1M, Channel: 38, ChannelKnown: true,
		EventType: advert.EventAdvInd, Payload: scanned().Payload, ScanResponse: scanned().ScanResponse, Source: advert.SourceGateway,
	}
	if ad.Address != want.Address || ad.RandomKind() != advert.RandomStatic || ad.RSSI != want.RSSI || ad.TxPower != want.TxPower ||
		!ad.TxPowerKnown || ad.Channel != 38 || !ad.ChannelKnown || ad.EventType != want.EventType || !ad.ReceivedAt.Equal(at) ||
		string(ad.Payload) != string(want.Payload) || string(ad.ScanResponse) != string(want.ScanResponse) || ad.PHY != want.PHY {
		t.Fatalf("got %+v\nwant %+v", ad, want)
	}
}

func TestFromScannedNamesTheBadField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(*blev1.ScannedAdvertisement)
		field string
	}{
		{"unknown_address_type", func(s *blev1.ScannedAdvertisement) { s.AddressType = 9 }, "address_type"},
		{"unspecified_address_type", func(s *blev1.ScannedAdvertisement) { s.AddressType = 0 }, "address_type"},
		{"type_disagrees_with_top_bits", func(s *blev1.ScannedAdvertisement) { s.Address[0] = 0x41 }, "address_type"},
		{"short_address", func(s *blev1.ScannedAdvertisement) { s.Address = s.Address[:4] }, "address"},
		{"anonymous_with_address", func(s *blev1.ScannedAdvertisement) {
			s.AddressType, s.EventType = blev1.AddressType_ADDRESS_TYPE_ANONYMOUS, blev1.AdvertisingEventType_ADVERTISING_EVENT_TYPE_EXTENDED
		}, "address"},
		{"anonymous_legacy", func(s *blev1.ScannedAdvertisement) {
			s.AddressType, s.Address = blev1.AddressType_ADDRESS_TYPE_ANONYMOUS, nil
		}, "address_type"},
		{"legacy_payload_32", func(s *blev1.ScannedAdvertisement) { s.Payload = make([]byte, 32) }, "payload"},
		{"legacy_scan_response_32", func(s *blev1.ScannedAdvertisement) { s.ScanResponse = make([]byte, 32) }, "scan_response"},
		{"extended_payload_1651", func(s *blev1.ScannedAdvertisement) {
			s.EventType, s.Payload = blev1.AdvertisingEventType_ADVERTISING_EVENT_TYPE_EXTENDED, make([]byte, 1651)
		}, "payload"},
		{"rssi_127", func(s *blev1.ScannedAdvertisement) { s.Rssi = 127 }, "rssi"},
		{"rssi_with_unavailable", func(s *blev1.ScannedAdvertisement) { s.Rssi, s.RssiUnavailable = -60, true }, "rssi"},
		{"tx_power_99", func(s *blev1.ScannedAdvertisement) { s.TxPower = ptr(int32(99)) }, "tx_power"},
		{"channel_40", func(s *blev1.ScannedAdvertisement) { s.Channel = ptr(uint32(40)) }, "channel"},
		{"sid_16", func(s *blev1.ScannedAdvertisement) { s.AdvertisingSid = ptr(uint32(16)) }, "advertising_sid"},
		{"unknown_phy", func(s *blev1.ScannedAdvertisement) { s.PrimaryPhy = 5 }, "primary_phy"},
		{"missing_time", func(s *blev1.ScannedAdvertisement) { s.ScannedAt = nil }, "scanned_at"},
		{"unspecified_event_type", func(s *blev1.ScannedAdvertisement) { s.EventType = 0 }, "event_type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := scanned()
			tt.edit(s)
			_, err := FromScanned("gw-1", advert.SourceGateway, s)
			var ferr *FieldError
			if !errors.As(err, &ferr) || ferr.Field != tt.field {
				t.Fatalf("got %v, want a FieldError on %s", err, tt.field)
			}
		})
	}
}

func TestToEventRejectsWhatTheContractCannotSay(t *testing.T) {
	t.Parallel()
	ad, err := FromScanned("gw-1", advert.SourceHCI, scanned())
	if err != nil {
		t.Fatal(err)
	}
	reserved := ad
	reserved.Address[0] = 0x80
	tooStrong := ad
	tooStrong.RSSI = 21
	for field, bad := range map[string]advert.Advertisement{"address_type": reserved, "rssi": tooStrong} {
		var ferr *FieldError
		if _, err := ToEvent(bad, 1, at); !errors.As(err, &ferr) || ferr.Field != field {
			t.Errorf("got %v, want a FieldError on %s", err, field)
		}
	}
	e, err := ToEvent(ad, 42, at.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if e.GetSource() != blev1.SourceKind_SOURCE_KIND_HCI || e.GetBatchSequence() != 42 || e.GetGatewayId() != "gw-1" ||
		!e.GetReceivedAt().AsTime().Equal(at.Add(time.Second)) || !e.GetAdvertisement().GetScannedAt().AsTime().Equal(at) {
		t.Fatalf("event = %v", e)
	}
}

// A receiver without an RSSI (HCI's 127, a sniffer capture without signal
// information) still delivers the advertisement: the contract says so instead.
func TestNoRSSIIsSaidNotGuessed(t *testing.T) {
	t.Parallel()
	ad, err := FromScanned("gw-1", advert.SourceReplay, scanned())
	if err != nil {
		t.Fatal(err)
	}
	ad.RSSI = advert.RSSIUnavailable
	s, err := ToScanned(ad)
	if err != nil {
		t.Fatal(err)
	}
	if !s.GetRssiUnavailable() || s.GetRssi() != 0 {
		t.Fatalf("rssi %d, unavailable %v: want 0 and true", s.GetRssi(), s.GetRssiUnavailable())
	}
}
