// Package mapper translates between the analyzer's contracts and its domain:
// ReadingEnriched and SubjectErased events become enriched readings and
// erasures, and the engine's devices, zones and alerts become analyzerv1
// messages. Keeping the translation here lets the core stay free of
// Protobuf and the adapters free of domain rules.
package mapper

import (
	"errors"
	"fmt"
	"time"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
)

// BatteryQuantity is the measurement the decoders report a battery's
// charge in; the analyzer lifts it into the reading's battery so the
// battery rules see it.
const BatteryQuantity = "battery"

// Reading maps a ReadingEnriched event. The strongest receiver is taken as
// the gateway that saw the device, because it is the nearest one and the
// one whose zone the enricher placed the reading in.
func Reading(msg *blev1.ReadingEnriched) (enriched.Reading, error) {
	if msg == nil {
		return enriched.Reading{}, errors.New("reading: missing")
	}
	if len(msg.GetReceivers()) == 0 {
		return enriched.Reading{}, errors.New("receivers: need at least one")
	}
	if msg.GetReceivedAt() == nil {
		return enriched.Reading{}, errors.New("received_at: must be set")
	}
	cat, err := CategoryFromProto(msg.GetDataProtection().GetSubjectCategory())
	if err != nil {
		return enriched.Reading{}, fmt.Errorf("data_protection.subject_category: %w", err)
	}
	best := strongest(msg.GetReceivers())
	place := msg.GetPlace()
	r := enriched.Reading{
		DeviceID:     msg.GetDevicePseudonym(),
		GatewayID:    best.GetGatewayId(),
		EventTime:    msg.GetReceivedAt().AsTime(),
		Zone:         enriched.Zone{Site: place.GetSite(), Building: place.GetBuilding(), Floor: place.GetFloor(), Zone: place.GetZone()},
		RSSI:         best.GetRssi(),
		NoRSSI:       best.GetRssiUnavailable(),
		AdvInterval:  time.Duration(msg.GetAdvertisingIntervalMs()) * time.Millisecond,
		Category:     cat,
		WorksCouncil: msg.GetDataProtection().GetWorksCouncilCovered(),
	}
	if p := msg.GetPosition(); p != nil {
		r.Position = enriched.Position{Known: true, X: p.GetXM(), Y: p.GetYM(), ErrorM: p.GetErrorM()}
	}
	for _, m := range msg.GetMeasurements() {
		r.Measurements = append(r.Measurements, enriched.Measurement{Quantity: m.GetQuantity(), Value: m.GetValue(), Unit: m.GetUnit()})
		if m.GetQuantity() == BatteryQuantity && (m.GetUnit() == "%" || m.GetUnit() == "") {
			r.Battery = enriched.Battery{Known: true, Percent: m.GetValue()}
		}
	}
	if err := r.Validate(); err != nil {
		return enriched.Reading{}, err
	}
	return r, nil
}

// Erasure maps a SubjectErased event.
func Erasure(msg *blev1.SubjectErased) (enriched.Erasure, error) {
	if msg == nil {
		return enriched.Erasure{}, errors.New("erasure: missing")
	}
	e := enriched.Erasure{Subjects: append([]string(nil), msg.GetDevicePseudonyms()...)}
	if msg.GetErasedAt() != nil {
		e.RequestedAt = msg.GetErasedAt().AsTime()
	}
	if err := e.Validate(); err != nil {
		return enriched.Erasure{}, fmt.Errorf("device_pseudonyms: %w", err)
	}
	return e, nil
}

// strongest is the receiver with the highest measured RSSI; one without a
// measurement only when no receiver has one.
func strongest(rs []*blev1.Receiver) *blev1.Receiver {
	best := rs[0]
	for _, rc := range rs[1:] {
		if !rc.GetRssiUnavailable() && (best.GetRssiUnavailable() || rc.GetRssi() > best.GetRssi()) {
			best = rc
		}
	}
	return best
}
