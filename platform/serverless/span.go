package serverless

import (
	"context"
	"strconv"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/plugin/kotel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// ProcessSpan starts the span of a core's work on r as a child of whoever
// produced r (its traceparent header), not of the platform's invocation
// context: an advertisement's trace then runs through every target alike.
func ProcessSpan(ctx context.Context, prop propagation.TextMapPropagator, tracer trace.Tracer, r *kgo.Record) (context.Context, trace.Span) {
	pctx := prop.Extract(ctx, kotel.NewRecordCarrier(r))
	return tracer.Start(pctx, r.Topic+" process",
		trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(
			attribute.String("messaging.system", "kafka"),
			attribute.String("messaging.operation.type", "process"),
			attribute.String("messaging.destination.name", r.Topic),
			attribute.String("messaging.destination.partition.id", strconv.Itoa(int(r.Partition))),
			attribute.Int64("messaging.kafka.offset", r.Offset),
		))
}
