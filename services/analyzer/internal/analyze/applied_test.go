package analyze_test

import (
	"testing"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/analyze"
	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
	"github.com/bluestream/bluestream/services/analyzer/internal/store"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/memstore"
)

// TestOutputApplied_names_only_readings_that_reached_the_projection: the
// consumer's freshness metric counts what Applied reports, so a replayed
// record or a reading of an erased subject must not look applied.
func TestOutputApplied_names_only_readings_that_reached_the_projection(t *testing.T) {
	t.Parallel()
	e, err := analyze.Open(t.Context(), memstore.New(), analyze.Config{})
	if err != nil {
		t.Fatal(err)
	}
	p := store.Partition{Topic: "in", Partition: 0}
	at := func(o int64) analyze.Offset { return analyze.Offset{Partition: p, Offset: o} }
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	reading := func(device string, ts time.Time) enriched.Reading {
		return enriched.Reading{DeviceID: device, GatewayID: "gw-1", EventTime: ts, Category: enriched.CategorySensor,
			Zone: enriched.Zone{Site: "ber", Building: "b1", Floor: "2", Zone: "lab"}}
	}

	out, err := e.ApplyReading(at(0), reading("p-1", t0))
	if err != nil {
		t.Fatal(err)
	}
	if !out.Applied.Equal(t0) {
		t.Errorf("applied reading: Applied = %v, want its event time %v", out.Applied, t0)
	}
	if out, _ := e.ApplyReading(at(0), reading("p-1", t0)); !out.Duplicate || !out.Applied.IsZero() {
		t.Errorf("replayed offset: Duplicate = %v, Applied = %v, want true and zero", out.Duplicate, out.Applied)
	}
	if out, err := e.ApplyErasure(at(1), enriched.Erasure{Subjects: []string{"p-1"}, RequestedAt: t0}); err != nil || !out.Applied.IsZero() {
		t.Errorf("erasure: Applied = %v, %v, want zero", out.Applied, err)
	}
	if out, err := e.ApplyReading(at(2), reading("p-1", t0.Add(time.Second))); err != nil || !out.Applied.IsZero() {
		t.Errorf("reading of an erased subject: Applied = %v, %v, want zero", out.Applied, err)
	}
}
