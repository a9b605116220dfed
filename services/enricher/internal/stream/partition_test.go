package stream_test

import (
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/services/enricher/internal/identity"
)

// A poll holds a partition with later event times before one with earlier ones, and
// the next poll may go back in time again: each advertisement heard by two gateways
// must still come out as one reading with both receivers.
func TestBatchMergesPerPartition(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	tablet := identity.Address{0xC4, 0x7A, 0x91, 0x3E, 0x55, 0x0C}
	in := func(p int32, rec *kgo.Record) *kgo.Record { rec.Partition = p; return rec }
	late, early := t0.Add(10*time.Second), t0
	polls := [][]*kgo.Record{
		{
			in(0, advert(t, phone, "gw-a", -60, late, 1)), in(0, advert(t, phone, "gw-b", -70, late.Add(20*time.Millisecond), 1)),
			in(1, advert(t, tablet, "gw-a", -60, early, 1)), in(1, advert(t, tablet, "gw-b", -70, early.Add(20*time.Millisecond), 1)),
		},
		{in(2, advert(t, tablet, "gw-a", -60, early.Add(time.Second), 2)), in(2, advert(t, tablet, "gw-b", -70, early.Add(time.Second+20*time.Millisecond), 2))},
	}
	for i, poll := range polls {
		out := batch(t, r.stage, poll...)
		if len(out) != len(poll)/2 {
			t.Fatalf("poll %d: %d records, want %d (one per advertisement)", i, len(out), len(poll)/2)
		}
		for _, rec := range out {
			if n := len(decoded(t, rec).GetReceivers()); n != 2 {
				t.Errorf("poll %d: reading with %d receivers, want 2", i, n)
			}
		}
	}
}
