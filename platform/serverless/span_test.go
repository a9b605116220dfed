package serverless_test

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/bluestream/bluestream/platform/serverless"
)

func TestProcessSpanContinuesTheProducersTrace(t *testing.T) {
	t.Parallel()
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	// The invocation's own context carries another trace, as Lambda's does.
	ctx, invocation := tp.Tracer("test").Start(t.Context(), "invocation")
	defer invocation.End()
	r := &kgo.Record{Topic: "ble.advertisements.v1", Partition: 2, Offset: 9, Headers: []kgo.RecordHeader{
		{Key: "traceparent", Value: []byte("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")},
	}}

	_, span := serverless.ProcessSpan(ctx, propagation.TraceContext{}, tp.Tracer("test"), r)
	span.End()

	got := spans.Ended()[0]
	if got.SpanContext().TraceID().String() != "4bf92f3577b34da6a3ce929d0e0e4736" || got.Parent().SpanID().String() != "00f067aa0ba902b7" {
		t.Errorf("span in trace %s under %s, want the record's", got.SpanContext().TraceID(), got.Parent().SpanID())
	}
	if got.Name() != "ble.advertisements.v1 process" || got.SpanKind() != trace.SpanKindConsumer {
		t.Errorf("span %q kind %s", got.Name(), got.SpanKind())
	}
	attrs := map[string]string{}
	for _, a := range got.Attributes() {
		attrs[string(a.Key)] = a.Value.Emit()
	}
	if attrs["messaging.destination.partition.id"] != "2" || attrs["messaging.kafka.offset"] != "9" {
		t.Errorf("attributes %v", attrs)
	}
}
