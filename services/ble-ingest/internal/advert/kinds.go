package advert

import "fmt"

// PHY is the physical layer an advertisement arrived on (the primary PHY for
// extended advertising).
type PHY uint8

const (
	PHYUnspecified PHY = iota
	PHY1M
	PHY2M
	PHYCoded
)

func (p PHY) String() string {
	switch p {
	case PHY1M:
		return "LE 1M"
	case PHY2M:
		return "LE 2M"
	case PHYCoded:
		return "LE Coded"
	default:
		return fmt.Sprintf("PHY(%d)", uint8(p))
	}
}

// EventType is the advertising PDU or HCI report type.
type EventType uint8

const (
	EventTypeUnspecified EventType = iota
	EventAdvInd
	EventAdvDirectInd
	EventAdvScanInd
	EventAdvNonconnInd
	EventScanRsp
	// EventExtended is a non-legacy extended advertisement; ExtendedProperties
	// carries its connectable/scannable/directed/scan-response bits.
	EventExtended
)

var eventNames = [...]string{"unspecified", "ADV_IND", "ADV_DIRECT_IND", "ADV_SCAN_IND", "ADV_NONCONN_IND", "SCAN_RSP", "EXTENDED"}

func (e EventType) String() string {
	if int(e) < len(eventNames) {
		return eventNames[e]
	}
	return fmt.Sprintf("EventType(%d)", uint8(e))
}

// Legacy reports whether e is one of the legacy (Bluetooth 4.x) PDU types, whose
// advertising data is at most MaxLegacyPayload bytes.
func (e EventType) Legacy() bool { return e >= EventAdvInd && e <= EventScanRsp }

// ExtendedProperties holds the event-type bits of an HCI LE Extended Advertising
// Report (Core Spec Vol 4 Part E 7.7.65.13), bit for bit, so adapters can copy it.
type ExtendedProperties uint16

const (
	PropConnectable  ExtendedProperties = 1 << 0
	PropScannable    ExtendedProperties = 1 << 1
	PropDirected     ExtendedProperties = 1 << 2
	PropScanResponse ExtendedProperties = 1 << 3
	PropLegacy       ExtendedProperties = 1 << 4
	// PropDataIncomplete means more fragments follow in later reports.
	PropDataIncomplete ExtendedProperties = 1 << 5
	// PropDataTruncated means the controller gave up on the remaining fragments.
	PropDataTruncated ExtendedProperties = 2 << 5
)

// Has reports whether all bits of q are set.
func (p ExtendedProperties) Has(q ExtendedProperties) bool { return p&q == q }

// SourceKind says which path an advertisement entered the system by.
type SourceKind uint8

const (
	SourceUnspecified SourceKind = iota
	SourceGateway
	SourceHCI
	SourceReplay
	SourceSimulator
)

func (s SourceKind) String() string {
	names := [...]string{"unspecified", "gateway", "hci", "replay", "simulator"}
	if int(s) < len(names) {
		return names[s]
	}
	return fmt.Sprintf("SourceKind(%d)", uint8(s))
}
