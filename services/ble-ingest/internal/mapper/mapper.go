package mapper

import (
	"fmt"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
)

// FieldError names a field of ScannedAdvertisement (or AdvertisementReceived)
// that cannot be mapped.
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// ContractField translates an advert.Violation field to the name the same
// value has in ScannedAdvertisement, so errors name what the client sent.
func ContractField(domainField string) string {
	switch domainField {
	case "received_at":
		return "scanned_at"
	case "phy":
		return "primary_phy"
	}
	return domainField
}

// ToScanned maps ad to the contract. It fails for what the contract cannot
// express: a random address with the reserved top bits 0b10, or an RSSI or TX
// power outside -127..20 dBm other than RSSIUnavailable.
func ToScanned(ad advert.Advertisement) (*blev1.ScannedAdvertisement, error) {
	at, err := addressTypeToProto(ad)
	if err != nil {
		return nil, err
	}
	unavailable := ad.RSSI == advert.RSSIUnavailable
	if ad.RSSI > 20 && !unavailable {
		return nil, fieldErr("rssi", "%d dBm is above 20", ad.RSSI)
	}
	s := &blev1.ScannedAdvertisement{
		ScannedAt:    timestamppb.New(ad.ReceivedAt),
		AddressType:  at,
		Rssi:         int32(ad.RSSI),
		PrimaryPhy:   blev1.Phy(ad.PHY),
		SecondaryPhy: blev1.Phy(ad.SecondaryPHY),
		EventType:    blev1.AdvertisingEventType(ad.EventType),
		Payload:      ad.Payload,
		ScanResponse: ad.ScanResponse,
	}
	if unavailable {
		s.Rssi, s.RssiUnavailable = 0, true
	}
	if ad.AddressType != advert.AddressAnonymous {
		s.Address = append([]byte(nil), ad.Address[:]...)
	}
	if ad.TxPowerKnown {
		if ad.TxPower > 20 {
			return nil, fieldErr("tx_power", "%d dBm is above 20", ad.TxPower)
		}
		s.TxPower = ptr(int32(ad.TxPower))
	}
	if ad.ChannelKnown {
		s.Channel = ptr(uint32(ad.Channel))
	}
	if ad.SIDKnown {
		s.AdvertisingSid = ptr(uint32(ad.SID))
	}
	return s, nil
}

// FromScanned maps a gateway's scanned advertisement to the domain, stamped
// with the gateway and source, and validates it. Every advert enum is numbered
// like its contract counterpart, zero being unspecified, so values convert
// directly once their range is checked.
func FromScanned(gatewayID string, source advert.SourceKind, s *blev1.ScannedAdvertisement) (advert.Advertisement, error) {
	if !s.GetScannedAt().IsValid() {
		return advert.Advertisement{}, fieldErr("scanned_at", "must be a valid timestamp")
	}
	ad := advert.Advertisement{
		GatewayID:    gatewayID,
		ReceivedAt:   s.GetScannedAt().AsTime(),
		RSSI:         int8(max(-128, min(127, s.GetRssi()))),
		PHY:          advert.PHY(s.GetPrimaryPhy()),
		SecondaryPHY: advert.PHY(s.GetSecondaryPhy()),
		EventType:    advert.EventType(s.GetEventType()),
		Payload:      s.GetPayload(),
		ScanResponse: s.GetScanResponse(),
		Source:       source,
	}
	if err := setAddress(&ad, s.GetAddressType(), s.GetAddress()); err != nil {
		return ad, err
	}
	switch {
	case s.GetRssiUnavailable() && s.GetRssi() != 0:
		return ad, fieldErr("rssi", "%d dBm with rssi_unavailable set, want 0", s.GetRssi())
	case s.GetRssiUnavailable():
		ad.RSSI = advert.RSSIUnavailable
	case s.GetRssi() < -127 || s.GetRssi() > 20:
		return ad, fieldErr("rssi", "%d dBm is outside -127..20", s.GetRssi())
	}
	if s.TxPower != nil {
		if s.GetTxPower() < -127 || s.GetTxPower() > 20 {
			return ad, fieldErr("tx_power", "%d dBm is outside -127..20", s.GetTxPower())
		}
		ad.TxPower, ad.TxPowerKnown = int8(s.GetTxPower()), true
	}
	if s.Channel != nil {
		if s.GetChannel() > 39 {
			return ad, fieldErr("channel", "channel index %d is above 39", s.GetChannel())
		}
		ad.Channel, ad.ChannelKnown = uint8(s.GetChannel()), true
	}
	if s.AdvertisingSid != nil {
		if s.GetAdvertisingSid() > 15 {
			return ad, fieldErr("advertising_sid", "SID %d is above 15", s.GetAdvertisingSid())
		}
		ad.SID, ad.SIDKnown = uint8(s.GetAdvertisingSid()), true
	}
	for _, e := range []struct {
		field string
		v     int32
		max   int32
	}{{"primary_phy", int32(s.GetPrimaryPhy()), 3}, {"secondary_phy", int32(s.GetSecondaryPhy()), 3}, {"event_type", int32(s.GetEventType()), 6}} {
		if e.v < 0 || e.v > e.max {
			return ad, fieldErr(e.field, "unknown value %d", e.v)
		}
	}
	if err := ad.Validate(); err != nil {
		if verr, ok := err.(advert.ValidationError); ok && len(verr) > 0 {
			return ad, fieldErr(ContractField(verr[0].Field), "%s", verr[0].Reason)
		}
		return ad, err
	}
	return ad, nil
}

// ToEvent wraps ad as the event published on ble.advertisements.v1.
func ToEvent(ad advert.Advertisement, sequence uint64, receivedAt time.Time) (*blev1.AdvertisementReceived, error) {
	s, err := ToScanned(ad)
	if err != nil {
		return nil, err
	}
	if ad.Source == advert.SourceUnspecified || ad.Source > advert.SourceSimulator {
		return nil, fieldErr("source", "unknown source kind %d", ad.Source)
	}
	return &blev1.AdvertisementReceived{
		GatewayId:     ad.GatewayID,
		ReceivedAt:    timestamppb.New(receivedAt),
		Advertisement: s,
		Source:        blev1.SourceKind(ad.Source),
		BatchSequence: sequence,
	}, nil
}

// FromEvent reads an event back into the domain.
func FromEvent(e *blev1.AdvertisementReceived) (advert.Advertisement, error) {
	return FromScanned(e.GetGatewayId(), advert.SourceKind(e.GetSource()), e.GetAdvertisement())
}

func ptr[T any](v T) *T { return &v }
