package hci

import (
	"errors"
	"fmt"
	"time"

	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
)

// HCI event codes and LE Meta subevent codes this package understands.
const (
	EventLEMeta                = 0x3E
	SubeventAdvertisingReport  = 0x02
	SubeventExtendedAdvReport  = 0x0D
	legacyReportFixedLen       = 1 + 1 + 6 + 1 + 1 // type, address type, address, length, RSSI
	extendedReportFixedLen     = 24
	extendedAddressAnonymous   = 0xFF
	extendedTxPowerUnavailable = 127
	extendedSIDUnavailable     = 0xFF
)

// Origin describes where reports came from; it fills the advertisement fields the
// event itself does not carry.
type Origin struct {
	GatewayID  string
	ReceivedAt time.Time
	Source     advert.SourceKind
}

// ErrNotAdvertisingReport is returned for well-formed events that carry no
// advertising reports, so callers can skip them.
var ErrNotAdvertisingReport = errors.New("not an LE advertising report event")

// DecodeEvent decodes one HCI event packet, starting at the event code (no H4
// packet-type byte), into the advertisements it reports.
func DecodeEvent(event []byte, o Origin) ([]advert.Advertisement, error) {
	if len(event) < 2 {
		return nil, fmt.Errorf("decoding HCI event: %d bytes, need at least 2", len(event))
	}
	if event[0] != EventLEMeta {
		return nil, ErrNotAdvertisingReport
	}
	params := event[2:]
	if int(event[1]) != len(params) {
		return nil, fmt.Errorf("decoding HCI event: parameter length %d but %d bytes follow", event[1], len(params))
	}
	if len(params) < 1 {
		return nil, errors.New("decoding HCI LE Meta event: no subevent code")
	}
	switch params[0] {
	case SubeventAdvertisingReport:
		return decodeLegacyReports(params[1:], o)
	case SubeventExtendedAdvReport:
		return decodeExtendedReports(params[1:], o)
	default:
		return nil, ErrNotAdvertisingReport
	}
}

// IsAdvertisingReport reports whether event is an LE Meta event with a legacy or
// extended advertising report subevent, without decoding it.
func IsAdvertisingReport(event []byte) bool {
	return len(event) >= 3 && event[0] == EventLEMeta &&
		(event[2] == SubeventAdvertisingReport || event[2] == SubeventExtendedAdvReport)
}

func numReports(p []byte, what string) (int, []byte, error) {
	if len(p) < 1 {
		return 0, nil, fmt.Errorf("decoding %s: missing Num_Reports", what)
	}
	if p[0] == 0 {
		return 0, nil, fmt.Errorf("decoding %s: Num_Reports is 0, spec requires 1 or more", what)
	}
	return int(p[0]), p[1:], nil
}
