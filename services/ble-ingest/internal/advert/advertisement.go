package advert

import "time"

// Payload limits: legacy PDUs carry at most 31 bytes of AdvData (Core Spec Vol 6
// Part B 2.3.1); extended advertising data, reassembled from its fragments, at
// most 1650 bytes, the ceiling of HCI LE Read Maximum Advertising Data Length.
const (
	MaxLegacyPayload   = 31
	MaxExtendedPayload = 1650
)

// RSSIUnavailable is the value HCI uses when the controller has no RSSI (127).
const RSSIUnavailable int8 = 127

// Advertisement is one received advertisement, undecoded.
type Advertisement struct {
	GatewayID   string
	ReceivedAt  time.Time
	Address     Address
	AddressType AddressType
	// RSSI in dBm; RSSIUnavailable when the receiver did not measure it.
	RSSI int8
	// TxPower in dBm, valid only when TxPowerKnown.
	TxPower      int8
	TxPowerKnown bool
	PHY          PHY
	// SecondaryPHY carries the AUX_ADV_IND of an extended advertisement;
	// PHYUnspecified when there was none (legacy or primary-only).
	SecondaryPHY PHY
	// SID is the advertising set id of an extended advertisement, valid only
	// when SIDKnown; it lets consumers tell one device's sets apart.
	SID      uint8
	SIDKnown bool
	// Channel is the advertising channel index (37, 38, 39, or 0-36 for
	// secondary channels), valid only when ChannelKnown.
	Channel      uint8
	ChannelKnown bool
	EventType    EventType
	// ExtendedProperties is set for extended reports (legacy ones keep zero).
	ExtendedProperties ExtendedProperties
	// Payload is the AdvData: the AD structures exactly as sent.
	Payload []byte
	// ScanResponse is the ScanRspData; a SCAN_RSP received on its own carries its
	// data here and an empty Payload.
	ScanResponse []byte
	Source       SourceKind
}

// MaxPayload returns the largest Payload or ScanResponse the event type allows.
func (a Advertisement) MaxPayload() int {
	if a.EventType.Legacy() {
		return MaxLegacyPayload
	}
	return MaxExtendedPayload
}
