package consumer

import (
	"context"
	"errors"
	"testing"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/services/analyzer/internal/enriched/enrichedtest"
)

// TestApplyContinuesTheRecordsTrace: the analyzer is the last service an
// advertisement's trace reaches, through the traceparent the enricher wrote.
func TestApplyContinuesTheRecordsTrace(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	spans := tracetest.NewInMemoryExporter()
	tel, err := telemetry.Setup(t.Context(), "analyzer-trace-test", telemetry.WithoutGlobals(), telemetry.WithSpanExporter(spans))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tel.Shutdown(t.Context()) })
	e.tel = tel

	ctx, enrich := tel.Tracer("test").Start(t.Context(), "enrich")
	rec := e.event("sensor-1", enrichedtest.Reading("sensor-1", "lab", blev1.SubjectCategory_SUBJECT_CATEGORY_SENSOR, t0, enrichedtest.Measure("temperature", 21.5, "Cel")), t0)
	rec.Context = ctx
	e.produce(rec)
	enrich.End()

	a := e.start(t.TempDir(), newClock(t0).now, nil)
	e.waitCommitted(a)
	if err := a.stop(); !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	want := enrich.SpanContext().TraceID()
	for _, s := range spans.GetSpans() {
		// The fetch hook's "receive" span exists either way; the "process"
		// span is the analyzer's own work on the record.
		if s.SpanContext.TraceID() == want && s.Name == input+" process" {
			return
		}
	}
	var got []string
	for _, s := range spans.GetSpans() {
		got = append(got, s.Name+" "+s.SpanContext.TraceID().String())
	}
	t.Fatalf("no process span in trace %s; spans: %v", want, got)
}
