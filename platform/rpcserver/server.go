// Package rpcserver serves a service's Connect handlers over HTTP/1.1 and
// cleartext HTTP/2 (h2c), so one port answers Connect, gRPC and gRPC-Web, with
// gRPC health, server reflection, request validation, tracing and /metrics.
package rpcserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"connectrpc.com/connect"
	"connectrpc.com/grpchealth"
	"connectrpc.com/grpcreflect"
	"connectrpc.com/otelconnect"
	"connectrpc.com/validate"

	"github.com/bluestream/bluestream/platform/config"
	"github.com/bluestream/bluestream/platform/telemetry"
)

// Config is the server's listen address and shutdown budget.
type Config struct {
	Addr            string
	ShutdownTimeout time.Duration
}

// Register binds the settings to flags.
func (c *Config) Register(l *config.Loader) {
	l.String(&c.Addr, "listen-addr", ":8080", "address to serve RPC, health and /metrics on")
	l.Duration(&c.ShutdownTimeout, "shutdown-timeout", 15*time.Second, "time to finish in-flight requests on shutdown")
}

// Validate implements config.Validator.
func (c Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return config.Invalid("listen-addr", "want host:port, got %q: %v", c.Addr, err)
	}
	if c.ShutdownTimeout <= 0 {
		return config.Invalid("shutdown-timeout", "must be positive, got %s", c.ShutdownTimeout)
	}
	return nil
}

// Server is an HTTP server for Connect handlers.
type Server struct {
	cfg      Config
	mux      *http.ServeMux
	services []string
	health   *grpchealth.StaticChecker
	opts     []connect.HandlerOption
}

// New returns a server instrumented with tel. Handlers registered on it trust the
// caller's trace context: bluestream's services are internal and continue one
// trace per advertisement.
func New(cfg Config, tel *telemetry.Telemetry) (*Server, error) {
	otel, err := otelconnect.NewInterceptor(
		otelconnect.WithTrustRemote(),
		otelconnect.WithTracerProvider(tel.TracerProvider),
		otelconnect.WithMeterProvider(tel.MeterProvider),
		otelconnect.WithPropagator(tel.Propagator),
	)
	if err != nil {
		return nil, fmt.Errorf("creating otel interceptor: %w", err)
	}
	s := &Server{
		cfg:    cfg,
		mux:    http.NewServeMux(),
		health: grpchealth.NewStaticChecker(),
		opts:   []connect.HandlerOption{connect.WithInterceptors(otel, validate.NewInterceptor())},
	}
	s.mux.Handle("/metrics", tel.Metrics)
	s.mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	return s, nil
}

// HandlerOptions are the options every Connect handler of this server takes:
// tracing and protovalidate checks of each request.
func (s *Server) HandlerOptions(extra ...connect.HandlerOption) []connect.HandlerOption {
	return append(append([]connect.HandlerOption{}, s.opts...), extra...)
}

// Register mounts a Connect handler and announces its service in health and
// reflection. Call it as Register(fooconnect.FooServiceName)(fooconnect.NewFooServiceHandler(impl, s.HandlerOptions()...)).
func (s *Server) Register(service string) func(path string, h http.Handler) {
	return func(path string, h http.Handler) {
		s.services = append(s.services, service)
		s.mux.Handle(path, h)
		s.health.SetStatus(service, grpchealth.StatusServing)
	}
}

// Handle mounts a plain HTTP handler, e.g. a dashboard.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// Handler returns the complete HTTP handler with health and reflection mounted.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", s.mux)
	mux.Handle(grpchealth.NewHandler(s.health))
	reflector := grpcreflect.NewStaticReflector(s.services...)
	mux.Handle(grpcreflect.NewHandlerV1(reflector))
	mux.Handle(grpcreflect.NewHandlerV1Alpha(reflector))
	return mux
}

// SetServing changes what health reports for every registered service, e.g. not
// serving while draining.
func (s *Server) SetServing(serving bool) {
	status := grpchealth.StatusNotServing
	if serving {
		status = grpchealth.StatusServing
	}
	s.health.SetStatus("", status)
	for _, name := range s.services {
		s.health.SetStatus(name, status)
	}
}

// Listen opens the configured address.
func (s *Server) Listen() (net.Listener, error) {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", s.cfg.Addr, err)
	}
	return ln, nil
}

// Serve answers on ln until ctx ends, then stops taking requests and waits up to
// the shutdown timeout for those in flight.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)
	srv := &http.Server{
		Handler:           s.Handler(),
		Protocols:         &protocols,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.SetServing(false)
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	if errors.Is(err, context.DeadlineExceeded) {
		// The budget is spent: what is still open (a stream, or a connection
		// that never sent a request, which net/http waits 5 s to call idle)
		// is closed hard rather than keeping the process alive.
		err = srv.Close()
	}
	if serveErr := <-errc; !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	return err
}

// Run listens on the configured address and serves until ctx ends.
func (s *Server) Run(ctx context.Context) error {
	ln, err := s.Listen()
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln)
}
