// Package telemetry sets up a service's OpenTelemetry tracer and meter providers,
// its Prometheus /metrics handler and its logger with trace ids (JSON, or text
// for people).
//
// Exporters follow the standard OTEL_* variables; with none of them set nothing is
// exported over the network, so a laptop run or a test needs no collector.
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/contrib/exporters/autoexport"
	"go.opentelemetry.io/otel"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/bluestream/bluestream/platform/buildinfo"
)

// Telemetry is what a service instruments itself with.
type Telemetry struct {
	TracerProvider trace.TracerProvider
	MeterProvider  metric.MeterProvider
	Propagator     propagation.TextMapPropagator
	Logger         *slog.Logger
	// Metrics serves the Prometheus exposition format at /metrics.
	Metrics  http.Handler
	shutdown []func(context.Context) error
}

type options struct {
	spanExporters []sdktrace.SpanExporter
	logOutput     io.Writer
	logLevel      slog.Level
	logFormat     LogFormat
	global        bool
}

// LogFormat is how log records are written.
type LogFormat string

const (
	// LogJSON writes one JSON object per record, for log shipping.
	LogJSON LogFormat = "json"
	// LogText writes key=value records, for people reading a terminal or
	// journalctl.
	LogText LogFormat = "text"
)

// ParseLogFormat reads "json" or "text".
func ParseLogFormat(s string) (LogFormat, error) {
	switch f := LogFormat(s); f {
	case LogJSON, LogText:
		return f, nil
	}
	return "", fmt.Errorf("want json or text, got %q", s)
}

// Option changes how Setup builds the providers.
type Option func(*options)

// WithSpanExporter adds an exporter that receives each span as it ends, e.g. an
// in-memory one in tests. Default: only the exporter the OTEL_* variables choose
// (batched), none when they are unset.
func WithSpanExporter(e sdktrace.SpanExporter) Option {
	return func(o *options) { o.spanExporters = append(o.spanExporters, e) }
}

// WithLogOutput sets where JSON logs go. Default: stderr.
func WithLogOutput(w io.Writer) Option { return func(o *options) { o.logOutput = w } }

// WithLogFormat sets how logs are written. Default: LogJSON.
func WithLogFormat(f LogFormat) Option { return func(o *options) { o.logFormat = f } }

// WithLogLevel sets the lowest level logged. Default: info.
func WithLogLevel(l slog.Level) Option { return func(o *options) { o.logLevel = l } }

// WithoutGlobals keeps the providers out of the otel globals, for several
// services in one process. Default: Setup installs them as globals.
func WithoutGlobals() Option { return func(o *options) { o.global = false } }

// Setup builds the providers for the named service. Call Shutdown when done: it
// flushes spans and metrics.
func Setup(ctx context.Context, service string, opts ...Option) (*Telemetry, error) {
	o := options{logOutput: os.Stderr, logLevel: slog.LevelInfo, logFormat: LogJSON, global: true}
	for _, opt := range opts {
		opt(&o)
	}
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(semconv.ServiceName(service), semconv.ServiceVersion(buildinfo.Version())))
	if err != nil {
		return nil, err
	}
	t := &Telemetry{Propagator: propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})}
	if err := t.setupTraces(ctx, res, o.spanExporters); err != nil {
		return nil, errors.Join(err, t.Shutdown(ctx))
	}
	if err := t.setupMetrics(ctx, res); err != nil {
		return nil, errors.Join(err, t.Shutdown(ctx))
	}
	var h slog.Handler = slog.NewJSONHandler(o.logOutput, &slog.HandlerOptions{Level: o.logLevel})
	if o.logFormat == LogText {
		h = slog.NewTextHandler(o.logOutput, &slog.HandlerOptions{Level: o.logLevel})
	}
	t.Logger = slog.New(NewLogHandler(h)).With("service", service)
	if o.global {
		otel.SetTracerProvider(t.TracerProvider)
		otel.SetMeterProvider(t.MeterProvider)
		otel.SetTextMapPropagator(t.Propagator)
	}
	return t, nil
}

func (t *Telemetry) setupTraces(ctx context.Context, res *resource.Resource, exporters []sdktrace.SpanExporter) error {
	opts := []sdktrace.TracerProviderOption{sdktrace.WithResource(res)}
	for _, e := range exporters {
		opts = append(opts, sdktrace.WithSyncer(e))
	}
	if otlpConfigured("TRACES") {
		exp, err := autoexport.NewSpanExporter(ctx)
		if err != nil {
			return err
		}
		opts = append(opts, sdktrace.WithBatcher(exp))
	}
	tp := sdktrace.NewTracerProvider(opts...)
	t.TracerProvider = tp
	t.shutdown = append(t.shutdown, tp.Shutdown)
	return nil
}

func (t *Telemetry) setupMetrics(ctx context.Context, res *resource.Resource) error {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	promExp, err := otelprom.New(otelprom.WithRegisterer(reg))
	if err != nil {
		return err
	}
	opts := []sdkmetric.Option{sdkmetric.WithResource(res), sdkmetric.WithReader(promExp)}
	if otlpConfigured("METRICS") {
		reader, err := autoexport.NewMetricReader(ctx)
		if err != nil {
			return err
		}
		opts = append(opts, sdkmetric.WithReader(reader))
	}
	mp := sdkmetric.NewMeterProvider(opts...)
	t.MeterProvider = mp
	t.Metrics = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	t.shutdown = append(t.shutdown, mp.Shutdown)
	return nil
}

// otlpConfigured reports whether the OTEL_* variables ask for an exporter of the
// signal ("TRACES" or "METRICS"); autoexport alone would default to OTLP and dial
// a collector that is not there.
func otlpConfigured(signal string) bool {
	if v := os.Getenv("OTEL_" + signal + "_EXPORTER"); v != "" {
		return v != "none"
	}
	return os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || os.Getenv("OTEL_EXPORTER_OTLP_"+signal+"_ENDPOINT") != ""
}

// Shutdown flushes and stops every provider.
func (t *Telemetry) Shutdown(ctx context.Context) error {
	var errs []error
	for _, fn := range t.shutdown {
		errs = append(errs, fn(ctx))
	}
	t.shutdown = nil
	return errors.Join(errs...)
}

// Tracer returns a tracer of this service's provider.
func (t *Telemetry) Tracer(name string) trace.Tracer { return t.TracerProvider.Tracer(name) }

// Meter returns a meter of this service's provider.
func (t *Telemetry) Meter(name string) metric.Meter { return t.MeterProvider.Meter(name) }
