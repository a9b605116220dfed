package advert

import (
	"fmt"
	"strings"
)

// Violation names one field of an Advertisement that is wrong and why. Field uses
// the snake_case names of the protobuf event so the RPC edge can report it as is.
type Violation struct {
	Field  string
	Reason string
}

func (v Violation) Error() string { return v.Field + ": " + v.Reason }

// ValidationError lists every violation found in one Advertisement.
type ValidationError []Violation

func (e ValidationError) Error() string {
	parts := make([]string, len(e))
	for i, v := range e {
		parts[i] = v.Error()
	}
	return "invalid advertisement: " + strings.Join(parts, "; ")
}

// Validate checks the fields a consumer relies on and returns a ValidationError
// naming each bad field, or nil.
func (a Advertisement) Validate() error {
	var errs ValidationError
	add := func(field, format string, args ...any) {
		errs = append(errs, Violation{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(a.GatewayID) == "" {
		add("gateway_id", "must not be empty")
	}
	if a.ReceivedAt.IsZero() {
		add("received_at", "must be set")
	}
	if !a.AddressType.Known() {
		add("address_type", "unknown address type %d", uint8(a.AddressType))
	}
	if a.AddressType == AddressAnonymous && a.EventType != EventExtended {
		add("address_type", "anonymous is only possible for extended advertising, not %v", a.EventType)
	}
	if a.EventType == EventTypeUnspecified || a.EventType > EventExtended {
		add("event_type", "unknown event type %d", uint8(a.EventType))
	}
	if a.PHY > PHYCoded {
		add("phy", "unknown PHY %d", uint8(a.PHY))
	}
	if a.SecondaryPHY > PHYCoded {
		add("secondary_phy", "unknown PHY %d", uint8(a.SecondaryPHY))
	}
	if a.SIDKnown && a.SID > 15 {
		add("advertising_sid", "SID %d is above 15", a.SID)
	}
	if a.ChannelKnown && a.Channel > 39 {
		add("channel", "channel index %d is above 39", a.Channel)
	}
	if a.Source == SourceUnspecified || a.Source > SourceSimulator {
		add("source", "unknown source kind %d", uint8(a.Source))
	}
	limit, kind := a.MaxPayload(), "extended"
	if a.EventType.Legacy() {
		kind = "legacy"
	}
	if len(a.Payload) > limit {
		add("payload", "%d bytes exceed the %d-byte %s limit", len(a.Payload), limit, kind)
	}
	if len(a.ScanResponse) > limit {
		add("scan_response", "%d bytes exceed the %d-byte %s limit", len(a.ScanResponse), limit, kind)
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}
