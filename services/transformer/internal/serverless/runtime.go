package serverless

import (
	"context"
	"errors"
	"log/slog"
	"os"

	"github.com/bluestream/bluestream/platform/config"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/serverless"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/transformer/internal/pipeline"
)

// Source is the ce_source of readings on every target, so a reading's bytes
// do not depend on where it was decoded.
const Source = "//bluestream/transformer"

// Config is a function's settings. Serverless platforms pass settings as
// environment variables only, so these are the BLUESTREAM_* variables of the
// service's flags of the same name.
type Config struct {
	Kafka  eventbus.Config
	Output string
}

// Load reads Config from the environment (lookup, os.LookupEnv in a function)
// and validates it.
func Load(program string, lookup func(string) (string, bool)) (Config, error) {
	var c Config
	l := config.New(program).WithEnv(lookup)
	c.Kafka.Register(l)
	l.String(&c.Output, "output-topic", topic.Readings, "topic to publish ReadingDecoded events on")
	if err := l.Parse(nil); err != nil {
		return Config{}, err
	}
	if err := config.Validate(c.Kafka); err != nil {
		return Config{}, err
	}
	if c.Output == "" {
		return Config{}, config.Invalid("output-topic", "must not be empty")
	}
	return c, nil
}

// Runtime is what a function instance keeps between invocations: telemetry,
// the producer and the handler. Nothing in it holds per-batch state.
type Runtime struct {
	Handler   *Handler
	Client    *eventbus.Client
	Telemetry *telemetry.Telemetry
	Logger    *slog.Logger
}

// OpenEnv loads the settings from the environment and opens a Runtime for
// them: what a function instance does once when it starts.
func OpenEnv(ctx context.Context, program string, opts ...telemetry.Option) (*Runtime, error) {
	cfg, err := Load(program, os.LookupEnv)
	if err != nil {
		return nil, err
	}
	return Open(ctx, program, cfg, opts...)
}

// Open builds a Runtime for cfg. Close it when the instance shuts down.
func Open(ctx context.Context, program string, cfg Config, opts ...telemetry.Option) (*Runtime, error) {
	tel, err := telemetry.Setup(ctx, program, opts...)
	if err != nil {
		return nil, err
	}
	cl, err := eventbus.NewClient(cfg.Kafka, tel, Source, "")
	if err != nil {
		return nil, errors.Join(err, tel.Shutdown(ctx))
	}
	stage := &pipeline.Stage{Decoder: &pipeline.Decoder{}, Encoder: cl.Encoder, Output: cfg.Output}
	return &Runtime{
		Handler:   &Handler{Transform: stage.Transform, Client: cl.Client, Propagator: tel.Propagator, Tracer: tel.Tracer(program)},
		Client:    cl,
		Telemetry: tel,
		Logger:    tel.Logger,
	}, nil
}

// Flush exports the spans of the invocation that just ended.
func (r *Runtime) Flush(ctx context.Context) error { return serverless.FlushSpans(ctx, r.Telemetry) }

// Close flushes and closes the producer and telemetry.
func (r *Runtime) Close(ctx context.Context) error {
	err := r.Client.Flush(ctx)
	r.Client.Close()
	return errors.Join(err, r.Telemetry.Shutdown(ctx))
}
