package alert

import (
	"fmt"

	"github.com/bluestream/bluestream/services/analyzer/internal/codec"
)

// watchFormat is the version byte of the device watch encoding.
const watchFormat = 1

// MarshalBinary encodes the watch compactly: like the projection's device
// it is rewritten on every commit that touches the device.
func (w *deviceWatch) MarshalBinary() ([]byte, error) {
	c := codec.NewWriter(watchFormat, 48+len(w.ID)+len(w.GatewayID)+40*len(w.Series))
	c.String(w.ID)
	c.String(w.GatewayID)
	c.Time(w.LastSeen)
	c.Bool(w.Watched)
	c.Int(w.SilentFor)
	c.Uint(uint64(len(w.Series)))
	for _, d := range w.Series {
		c.String(d.Quantity)
		c.Int(d.Stats.N)
		c.Float(d.Stats.Mean)
		c.Float(d.Stats.Var)
	}
	return c.Bytes(), nil
}

// UnmarshalBinary is the inverse of MarshalBinary.
func (w *deviceWatch) UnmarshalBinary(b []byte) error {
	r := codec.NewReader(b, watchFormat)
	w.ID, w.GatewayID = r.String(), r.String()
	w.LastSeen = r.Time()
	w.Watched = r.Bool()
	w.SilentFor = r.Int()
	w.Series = nil
	for range r.Count() {
		var d detector
		d.Quantity = r.String()
		d.Stats.N, d.Stats.Mean, d.Stats.Var = r.Int(), r.Float(), r.Float()
		w.Series = append(w.Series, d)
	}
	if err := r.Err(); err != nil {
		return fmt.Errorf("decoding device watch: %w", err)
	}
	return nil
}
