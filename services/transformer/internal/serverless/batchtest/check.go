package batchtest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/services/transformer/internal/pipeline"
)

// CheckReadings checks that readings are the decoded inputs, in order,
// keyed and identified as the Kubernetes stage does, and in the inputs'
// trace.
func CheckReadings(t testing.TB, inputs, readings []*kgo.Record) {
	t.Helper()
	if len(readings) != len(inputs) {
		t.Fatalf("%d readings, want %d", len(readings), len(inputs))
	}
	for i, r := range readings {
		in := inputs[i]
		var got blev1.ReadingDecoded
		if err := eventbus.Decode(r, &got); err != nil {
			t.Errorf("reading %d: %v", i, err)
			continue
		}
		if !bytes.Equal(r.Key, in.Key) {
			t.Errorf("reading %d key %q, want the input's %q", i, r.Key, in.Key)
		}
		if id, _ := eventbus.Header(r, eventbus.HeaderID); id != pipeline.EventID(in) {
			t.Errorf("reading %d ce_id %q, want %q", i, id, pipeline.EventID(in))
		}
		if tp, _ := eventbus.Header(r, "traceparent"); !strings.Contains(tp, TraceID) {
			t.Errorf("reading %d traceparent %q does not continue trace %s", i, tp, TraceID)
		}
		if len(got.GetDecoded().GetFormats()) == 0 {
			t.Errorf("reading %d decoded nothing: %v", i, got.GetDecoded())
		}
	}
}
