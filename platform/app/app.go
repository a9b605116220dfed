// Package app runs one service process the same way for every service: settings
// from flags and BLUESTREAM_* variables, validated before anything starts;
// telemetry; the RPC server; background loops; and a shutdown on SIGINT/SIGTERM
// that stops taking work, lets loops commit what they finished, and flushes
// telemetry.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"slices"
	"sync"
	"syscall"

	"github.com/bluestream/bluestream/platform/buildinfo"
	"github.com/bluestream/bluestream/platform/config"
	"github.com/bluestream/bluestream/platform/rpcserver"
	"github.com/bluestream/bluestream/platform/telemetry"
)

// Service is what a service binary plugs into Run.
type Service interface {
	// Flags binds the service's own settings.
	Flags(l *config.Loader)
	// Validate checks them, naming any bad setting.
	Validate() error
	// Start registers handlers on env.Server and starts loops with env.Go. It
	// must not block.
	Start(ctx context.Context, env *Env) error
}

// Env is what a starting service gets.
type Env struct {
	Name      string
	Telemetry *telemetry.Telemetry
	Logger    *slog.Logger
	Server    *rpcserver.Server

	ctx    context.Context
	wg     sync.WaitGroup
	mu     sync.Mutex
	errs   []error
	cancel context.CancelFunc
}

// Go runs a loop until ctx ends. A loop that returns an error stops the whole
// process: a stage that cannot go on should not look healthy.
func (e *Env) Go(name string, loop func(ctx context.Context) error) {
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		if err := loop(e.ctx); err != nil && !errors.Is(err, context.Canceled) {
			e.mu.Lock()
			e.errs = append(e.errs, fmt.Errorf("%s: %w", name, err))
			e.mu.Unlock()
			e.Logger.Error("loop stopped", "loop", name, "err", err)
			e.cancel()
		}
	}()
}

// Options adjust Run for tests and for several services in one process.
type Options struct {
	// Listener replaces listening on --listen-addr.
	Listener net.Listener
	// Telemetry replaces the one Run would set up (and is not shut down by Run).
	Telemetry *telemetry.Telemetry
	// TelemetryOptions adjust the telemetry Run sets up when Telemetry is nil:
	// several services in one process each need telemetry.WithoutGlobals, and
	// WithLogOutput to tell their lines apart. --log-level and --log-format
	// still apply.
	TelemetryOptions []telemetry.Option
	// Ready is called once the service started and the server listens.
	Ready func(addr net.Addr)
	// Env replaces the process environment lookup.
	Env func(string) (string, bool)
}

// Main runs the service with the process's arguments until SIGINT or SIGTERM,
// and exits non-zero when it fails.
func Main(name string, s Service) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := Run(ctx, name, os.Args[1:], s, Options{})
	stop()
	if errors.Is(err, flag.ErrHelp) {
		return // the usage was printed: asking for it is no failure
	}
	if err != nil {
		slog.Error("exiting", "service", name, "err", err)
		os.Exit(1)
	}
}

// Run parses args, starts s, and serves until ctx ends or a loop fails.
func Run(ctx context.Context, name string, args []string, s Service, opts Options) (err error) {
	var srvCfg rpcserver.Config
	var logLevel, logFormat string
	l := config.New(name)
	if opts.Env != nil {
		l.WithEnv(opts.Env)
	}
	srvCfg.Register(l)
	l.String(&logLevel, "log-level", "info", "debug, info, warn or error")
	l.String(&logFormat, "log-format", string(telemetry.LogJSON), "json (one object per line, for log shipping) or text (key=value, for people)")
	s.Flags(l)
	if err := l.Parse(args); err != nil {
		return err
	}
	level, lerr := parseLevel(logLevel)
	format, ferr := telemetry.ParseLogFormat(logFormat)
	if ferr != nil {
		ferr = config.Invalid("log-format", "%v", ferr)
	}
	if err := errors.Join(lerr, ferr, config.Validate(srvCfg, s)); err != nil {
		return fmt.Errorf("invalid settings: %w", err)
	}

	tel := opts.Telemetry
	if tel == nil {
		topts := append(slices.Clip(opts.TelemetryOptions), telemetry.WithLogLevel(level), telemetry.WithLogFormat(format))
		if tel, err = telemetry.Setup(ctx, name, topts...); err != nil {
			return err
		}
		defer func() { err = errors.Join(err, tel.Shutdown(context.WithoutCancel(ctx))) }()
	}
	srv, err := rpcserver.New(srvCfg, tel)
	if err != nil {
		return err
	}
	ln := opts.Listener
	if ln == nil {
		if ln, err = srv.Listen(); err != nil {
			return err
		}
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	env := &Env{Name: name, Telemetry: tel, Logger: tel.Logger, Server: srv, ctx: runCtx, cancel: cancel}
	if err := s.Start(runCtx, env); err != nil {
		_ = ln.Close()
		cancel()
		env.wg.Wait()
		return fmt.Errorf("starting %s: %w", name, err)
	}
	env.Go("rpc server", func(ctx context.Context) error { return srv.Serve(ctx, ln) })
	tel.Logger.Info("serving", "addr", ln.Addr().String(), "version", buildinfo.Version())
	if opts.Ready != nil {
		opts.Ready(ln.Addr())
	}
	<-runCtx.Done()
	env.wg.Wait()
	tel.Logger.Info("stopped")
	return errors.Join(env.errs...)
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return l, config.Invalid("log-level", "want debug, info, warn or error, got %q", s)
	}
	return l, nil
}
