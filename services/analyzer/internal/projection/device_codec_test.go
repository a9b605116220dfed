package projection

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
)

func TestDeviceCodec_round_trips_and_rejects_corruption(t *testing.T) {
	t.Parallel()
	p := newProjection(t, Config{})
	for i := range 20 {
		r := reading("d1", time.Duration(i)*time.Second, zoneA)
		r.Measurements = []enriched.Measurement{{Quantity: "temperature", Value: 20.1 + float64(i), Unit: "Cel"}}
		r.Position = enriched.Position{Known: true, X: 1.5, Y: -2, ErrorM: 0.7}
		r.Battery = enriched.Battery{Known: true, Percent: 55}
		r.AdvInterval = 100 * time.Millisecond
		p.Apply(r)
	}
	in := p.devices["d1"]
	b, err := in.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var out device
	if err := out.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*in, out) {
		t.Errorf("round trip changed the device:\n in  %+v\n out %+v", *in, out)
	}
	again, _ := out.MarshalBinary()
	if !bytes.Equal(b, again) {
		t.Error("re-encoding gave different bytes")
	}
	for _, cut := range []int{0, 1, len(b) / 2, len(b) - 1} {
		if err := new(device).UnmarshalBinary(b[:cut]); err == nil {
			t.Errorf("truncated to %d of %d bytes: want error", cut, len(b))
		}
	}
}
