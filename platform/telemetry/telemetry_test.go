package telemetry_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/bluestream/bluestream/platform/telemetry"
)

func TestLogsCarryTraceIDsAndMetricsAreServed(t *testing.T) {
	var logs bytes.Buffer
	exp := tracetest.NewInMemoryExporter()
	tel, err := telemetry.Setup(t.Context(), "test-service",
		telemetry.WithSpanExporter(exp), telemetry.WithLogOutput(&logs), telemetry.WithoutGlobals())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tel.Shutdown(t.Context()) })

	ctx, span := tel.Tracer("test").Start(t.Context(), "work")
	tel.Logger.InfoContext(ctx, "did work")
	span.End()
	counter, _ := tel.Meter("test").Int64Counter("bluestream_test_records")
	counter.Add(ctx, 3)

	var line map[string]any
	if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
		t.Fatalf("log line is not JSON: %v: %s", err, logs.String())
	}
	if got, want := line["trace_id"], span.SpanContext().TraceID().String(); got != want {
		t.Errorf("trace_id = %v, want %v", got, want)
	}
	if line["service"] != "test-service" {
		t.Errorf("service = %v", line["service"])
	}
	if n := len(exp.GetSpans()); n != 1 {
		t.Errorf("exported %d spans, want 1", n)
	}

	rec := httptest.NewRecorder()
	tel.Metrics.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	if !strings.Contains(string(body), "bluestream_test_records_total") || !strings.Contains(string(body), "go_goroutines") {
		t.Errorf("metrics lack the counter or Go runtime metrics:\n%.600s", body)
	}
}

func TestTextLogsCarryTraceIDs(t *testing.T) {
	var logs bytes.Buffer
	tel, err := telemetry.Setup(t.Context(), "test-service",
		telemetry.WithLogFormat(telemetry.LogText), telemetry.WithLogOutput(&logs), telemetry.WithoutGlobals())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tel.Shutdown(t.Context()) })
	ctx, span := tel.Tracer("test").Start(t.Context(), "work")
	tel.Logger.InfoContext(ctx, "did work", "records", 3)
	span.End()
	line := logs.String()
	for _, want := range []string{`level=INFO msg="did work" service=test-service records=3`, "trace_id=" + span.SpanContext().TraceID().String()} {
		if !strings.Contains(line, want) {
			t.Errorf("log line %q lacks %q", line, want)
		}
	}
	if json.Valid(logs.Bytes()) {
		t.Errorf("text format wrote JSON: %s", line)
	}
	if _, err := telemetry.ParseLogFormat("yaml"); err == nil {
		t.Error("ParseLogFormat accepted yaml")
	}
}
