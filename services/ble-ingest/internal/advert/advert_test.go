package advert

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

func valid() Advertisement {
	return Advertisement{
		GatewayID:   "gw-1",
		ReceivedAt:  time.Date(2026, 2, 5, 16, 17, 54, 0, time.UTC),
		Address:     Address{0x48, 0xCA, 0x43, 0x3A, 0x34, 0x05},
		AddressType: AddressPublic,
		RSSI:        -60,
		PHY:         PHY1M,
		EventType:   EventAdvInd,
		Payload:     []byte{0x02, 0x01, 0x06},
		Source:      SourceReplay,
	}
}

func TestValidateNamesTheBadField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		modify func(*Advertisement)
		field  string
	}{
		{"empty_gateway_id", func(a *Advertisement) { a.GatewayID = " " }, "gateway_id"},
		{"zero_receive_time", func(a *Advertisement) { a.ReceivedAt = time.Time{} }, "received_at"},
		{"unknown_address_type", func(a *Advertisement) { a.AddressType = 9 }, "address_type"},
		{"unspecified_address_type", func(a *Advertisement) { a.AddressType = AddressTypeUnspecified }, "address_type"},
		{"anonymous_legacy", func(a *Advertisement) { a.AddressType = AddressAnonymous }, "address_type"},
		{"legacy_payload_32_bytes", func(a *Advertisement) { a.Payload = make([]byte, 32) }, "payload"},
		{"legacy_scan_response_32_bytes", func(a *Advertisement) { a.ScanResponse = make([]byte, 32) }, "scan_response"},
		{"extended_payload_1651_bytes", func(a *Advertisement) {
			a.EventType = EventExtended
			a.Payload = make([]byte, MaxExtendedPayload+1)
		}, "payload"},
		{"unspecified_event_type", func(a *Advertisement) { a.EventType = EventTypeUnspecified }, "event_type"},
		{"channel_40", func(a *Advertisement) { a.Channel, a.ChannelKnown = 40, true }, "channel"},
		{"unknown_phy", func(a *Advertisement) { a.PHY = 7 }, "phy"},
		{"unspecified_source", func(a *Advertisement) { a.Source = SourceUnspecified }, "source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := valid()
			tt.modify(&a)
			err := a.Validate()
			var verr ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("Validate() = %v, want a ValidationError", err)
			}
			if len(verr) != 1 || verr[0].Field != tt.field {
				t.Fatalf("violations = %v, want exactly one on %q", verr, tt.field)
			}
		})
	}
}

func TestValidateAcceptsLimits(t *testing.T) {
	t.Parallel()
	legacy := valid()
	legacy.Payload = make([]byte, MaxLegacyPayload)
	legacy.ScanResponse = make([]byte, MaxLegacyPayload)
	ext := valid()
	ext.EventType, ext.AddressType = EventExtended, AddressAnonymous
	ext.Address = Address{}
	ext.Payload = make([]byte, MaxExtendedPayload)
	for _, a := range []Advertisement{valid(), legacy, ext} {
		if err := a.Validate(); err != nil {
			t.Errorf("Validate(%v) = %v, want nil", a.EventType, err)
		}
	}
}

func TestValidateReportsEveryViolation(t *testing.T) {
	t.Parallel()
	a := valid()
	a.GatewayID, a.AddressType = "", 0
	var verr ValidationError
	if !errors.As(a.Validate(), &verr) || len(verr) != 2 {
		t.Fatalf("want two violations, got %v", verr)
	}
}

func TestRandomKindFromTopBits(t *testing.T) {
	t.Parallel()
	// Core Spec Vol 6 Part B 1.3.2: the two most significant bits select the kind.
	tests := []struct {
		name string
		typ  AddressType
		msb  byte
		want RandomKind
	}{
		{"static_0b11", AddressRandom, 0xC3, RandomStatic},
		{"resolvable_0b01", AddressRandom, 0x4E, RandomResolvable},
		{"non_resolvable_0b00", AddressRandom, 0x3F, RandomNonResolvable},
		{"reserved_0b10", AddressRandom, 0x80, RandomReserved},
		{"public_has_none", AddressPublic, 0xC3, RandomKindNone},
	}
	for _, tt := range tests {
		a := Advertisement{AddressType: tt.typ, Address: Address{tt.msb}}
		if got := a.RandomKind(); got != tt.want {
			t.Errorf("%s: RandomKind() = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestAddressByteOrder(t *testing.T) {
	t.Parallel()
	air := []byte{0x05, 0x34, 0x3A, 0x43, 0xCA, 0x48}
	a := AddressFromLittleEndian(air)
	if got := a.String(); got != "48:CA:43:3A:34:05" {
		t.Fatalf("String() = %s", got)
	}
	le := a.LittleEndian()
	if !bytes.Equal(le[:], air) {
		t.Fatalf("LittleEndian() = % x, want % x", le, air)
	}
}
