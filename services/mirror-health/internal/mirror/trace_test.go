package mirror

import (
	"context"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/plugin/kotel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// TestCopiesContinueTheSourceTrace: with tracing hooks on both clients, a
// mirrored record's traceparent names the same trace as the source record's,
// but a span of the mirror's own, so an advertisement's trace runs through
// the mirror instead of breaking or skipping it.
func TestCopiesContinueTheSourceTrace(t *testing.T) {
	t.Parallel()
	src := newCluster(t, partitions, topic)
	tgt := newCluster(t, 0)
	const traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	sourceParent := "00-" + traceID + "-00f067aa0ba902b7-01"
	rec := &kgo.Record{Topic: topic, Key: []byte("dev"), Value: []byte("reading"),
		Headers: []kgo.RecordHeader{{Key: "traceparent", Value: []byte(sourceParent)}}}
	if err := newClient(t, src).ProduceSync(t.Context(), rec).FirstErr(); err != nil {
		t.Fatal(err)
	}

	tp := sdktrace.NewTracerProvider()
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	tracer := kotel.NewTracer(kotel.TracerProvider(tp), kotel.TracerPropagator(propagation.TraceContext{}))
	hooks := kgo.WithHooks(kotel.NewKotel(kotel.WithTracer(tracer)).Hooks()...)
	cfg := testConfig(src, tgt)
	cfg.SourceOpts, cfg.TargetOpts = []kgo.Opt{hooks}, []kgo.Opt{hooks}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	got := consumeCommitted(t, tgt, remote, 1)
	cancel()
	<-done

	var parent string
	for _, h := range got[0].Headers {
		if h.Key == "traceparent" {
			parent = string(h.Value)
		}
	}
	if !strings.Contains(parent, traceID) {
		t.Fatalf("copy's traceparent %q is not in the source trace %s", parent, traceID)
	}
	if parent == sourceParent {
		t.Errorf("copy's traceparent is the source's own; want a span of the mirror")
	}
}
