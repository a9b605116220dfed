package eventbus

import (
	"context"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/plugin/kotel"
	"go.opentelemetry.io/otel/trace"

	"github.com/bluestream/bluestream/platform/telemetry"
)

// Client is a franz-go client whose records carry trace context: produced records
// get traceparent/tracestate headers from their context, fetched ones start a
// span that continues the producer's trace.
type Client struct {
	*kgo.Client
	Encoder Encoder
	tracer  *kotel.Tracer
}

// Instrumentation returns the kotel hooks for tel and the tracer that starts
// process spans. group names the consumer group in span attributes, if any.
func Instrumentation(tel *telemetry.Telemetry, group string) (kgo.Opt, *kotel.Tracer) {
	topts := []kotel.TracerOpt{kotel.TracerProvider(tel.TracerProvider), kotel.TracerPropagator(tel.Propagator)}
	if group != "" {
		topts = append(topts, kotel.ConsumerGroup(group))
	}
	tracer := kotel.NewTracer(topts...)
	meter := kotel.NewMeter(kotel.MeterProvider(tel.MeterProvider))
	k := kotel.NewKotel(kotel.WithTracer(tracer), kotel.WithMeter(meter))
	return kgo.WithHooks(k.Hooks()...), tracer
}

// NewClient connects to the cluster in cfg. franz-go's producer is idempotent by
// default. A non-empty group makes it a member of that consumer group; extra
// options add consumer settings such as topics. source is the ce_source of the
// events it publishes.
func NewClient(cfg Config, tel *telemetry.Telemetry, source, group string, extra ...kgo.Opt) (*Client, error) {
	opts, err := cfg.Opts()
	if err != nil {
		return nil, err
	}
	hooks, tracer := Instrumentation(tel, group)
	opts = append(opts, hooks)
	if group != "" {
		opts = append(opts, kgo.ConsumerGroup(group))
	}
	cl, err := kgo.NewClient(append(opts, extra...)...)
	if err != nil {
		return nil, fmt.Errorf("creating kafka client: %w", err)
	}
	return &Client{Client: cl, Encoder: Encoder{Source: source}, tracer: tracer}, nil
}

// Publish produces the events and waits until Kafka acknowledged all of them.
func (c *Client) Publish(ctx context.Context, events ...Event) error {
	recs := make([]*kgo.Record, 0, len(events))
	for _, e := range events {
		r, err := c.Encoder.Record(ctx, e)
		if err != nil {
			return err
		}
		recs = append(recs, r)
	}
	return c.ProduceSync(ctx, recs...).FirstErr()
}

// ProcessSpan starts the span that processes a fetched record, as a child of the
// producer's trace, and returns its context.
func (c *Client) ProcessSpan(r *kgo.Record) (context.Context, trace.Span) {
	return c.tracer.WithProcessSpan(r)
}

// FetchErrors returns the errors of a poll that are not the client closing or the
// context ending.
func FetchErrors(fs kgo.Fetches) error {
	var errs []error
	fs.EachError(func(topic string, p int32, err error) {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, kgo.ErrClientClosed) {
			return
		}
		errs = append(errs, fmt.Errorf("fetching %s[%d]: %w", topic, p, err))
	})
	return errors.Join(errs...)
}
