package projection

import (
	"fmt"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/codec"
	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
)

// deviceFormat is the version byte of the device encoding; bump it when the
// field order below changes.
const deviceFormat = 2

// MarshalBinary encodes the device in a fixed field order.
func (d *device) MarshalBinary() ([]byte, error) {
	// Fixed fields take about 120 bytes, each measurement about 100 and
	// each gap up to 5.
	w := codec.NewWriter(deviceFormat, 128+len(d.ID)+len(d.Zone)+104*len(d.Measurements)+5*len(d.Interval.Gaps))
	w.String(d.ID)
	w.Uint(uint64(d.Category))
	w.Bool(d.Restricted)
	w.Time(d.FirstSeen)
	w.Time(d.LastSeen)
	w.String(d.GatewayID)
	w.String(d.Zone)
	w.Bool(d.Position.Known)
	w.Float(d.Position.X)
	w.Float(d.Position.Y)
	w.Float(d.Position.ErrorM)
	w.Int(int64(d.RSSI))
	w.Bool(d.Battery.Known)
	w.Float(d.Battery.Percent)
	w.Uint(uint64(len(d.Measurements)))
	for _, m := range d.Measurements {
		writeMeasurement(w, m)
	}
	w.Int(int64(d.Interval.Announced))
	w.Uint(uint64(len(d.Interval.Gaps)))
	for _, g := range d.Interval.Gaps {
		w.Uint(uint64(g))
	}
	w.Uint(uint64(d.Interval.Next))
	w.Bool(d.Presence.Present)
	w.Time(d.Presence.SessionStart)
	w.String(d.Presence.Zone)
	w.Time(d.Presence.ZoneEntered)
	w.String(d.Presence.Candidate)
	w.Time(d.Presence.CandidateSince)
	w.Uint(uint64(d.Presence.CandidateSeen))
	w.Uint(d.Readings)
	return w.Bytes(), nil
}

func writeMeasurement(w *codec.Writer, m measurement) {
	w.String(m.Quantity)
	w.String(m.Unit)
	w.Float(m.Value)
	w.Time(m.At)
	w.Int(m.Summary.Count)
	w.Float(m.Summary.Min)
	w.Float(m.Summary.Max)
	w.Float(m.Summary.Mean)
	w.Float(m.Summary.M2)
	w.Int(m.Rolling.N)
	w.Float(m.Rolling.Mean)
	w.Float(m.Rolling.Var)
}

// UnmarshalBinary is the inverse of MarshalBinary.
func (d *device) UnmarshalBinary(b []byte) error {
	r := codec.NewReader(b, deviceFormat)
	d.ID = r.String()
	d.Category = enriched.Category(r.Uint())
	d.Restricted = r.Bool()
	d.FirstSeen, d.LastSeen = r.Time(), r.Time()
	d.GatewayID, d.Zone = r.String(), r.String()
	d.Position = enriched.Position{Known: r.Bool(), X: r.Float(), Y: r.Float(), ErrorM: r.Float()}
	d.RSSI = int32(r.Int())
	d.Battery = enriched.Battery{Known: r.Bool(), Percent: r.Float()}
	d.Measurements = nil
	for range r.Count() {
		d.Measurements = append(d.Measurements, readMeasurement(r))
	}
	d.Interval = interval{Announced: time.Duration(r.Int())}
	for range r.Count() {
		d.Interval.Gaps = append(d.Interval.Gaps, uint32(r.Uint()))
	}
	d.Interval.Next = uint8(r.Uint())
	d.Presence = presence{
		Present: r.Bool(), SessionStart: r.Time(), Zone: r.String(), ZoneEntered: r.Time(),
		Candidate: r.String(), CandidateSince: r.Time(), CandidateSeen: uint32(r.Uint()),
	}
	d.Readings = r.Uint()
	if err := r.Err(); err != nil {
		return fmt.Errorf("decoding device: %w", err)
	}
	if !d.Category.Valid() || len(d.Interval.Gaps) > gapWindow || int(d.Interval.Next) >= gapWindow {
		return fmt.Errorf("decoding device %q: field out of range", d.ID)
	}
	return nil
}

func readMeasurement(r *codec.Reader) measurement {
	var m measurement
	m.Quantity, m.Unit = r.String(), r.String()
	m.Value, m.At = r.Float(), r.Time()
	m.Summary.Count = r.Int()
	m.Summary.Min, m.Summary.Max, m.Summary.Mean, m.Summary.M2 = r.Float(), r.Float(), r.Float(), r.Float()
	m.Rolling.N = r.Int()
	m.Rolling.Mean, m.Rolling.Var = r.Float(), r.Float()
	return m
}
