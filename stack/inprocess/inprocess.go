// Package inprocess runs a service inside the stack's own process, the way
// supervise runs one as a child: the same flags through app.Run, a listener of
// its own, telemetry of its own that leaves the otel globals alone, and its log
// lines labelled like a child's. It stops when its context is cancelled, the
// in-process counterpart of SIGTERM. Unlike a child, a service that panics takes
// the whole process down, and one that ignores cancellation cannot be killed.
package inprocess

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/stack/logtail"
)

// Spec says how to run one service.
type Spec struct {
	// Name labels the service in errors, logs and its telemetry's service.name.
	Name    string
	Service app.Service
	Args    []string
	// Listener is where it serves; Run closes it when the service ends.
	Listener net.Listener
	// Log receives every log line of the service; nil discards them.
	Log io.Writer
}

// Service is a running service.
type Service struct {
	Spec Spec

	cancel context.CancelFunc
	ready  chan struct{} // closed once it serves
	done   chan struct{} // closed once app.Run returned
	err    error         // what app.Run returned, set before done closes
	lines  *logtail.Lines
}

// tailLines is how much output an error report carries.
const tailLines = 40

// Run starts the service in goroutines of this process and returns at once.
// Its context is its own: it outlives the caller's and ends only with Stop.
func Run(spec Spec) *Service {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Service{Spec: spec, cancel: cancel, ready: make(chan struct{}), done: make(chan struct{}),
		lines: logtail.New(spec.Name, spec.Log, tailLines)}
	opts := app.Options{
		Listener:         spec.Listener,
		TelemetryOptions: []telemetry.Option{telemetry.WithoutGlobals(), telemetry.WithLogOutput(s.lines)},
		Ready:            func(net.Addr) { close(s.ready) },
	}
	go func() {
		err := app.Run(ctx, spec.Name, spec.Args, spec.Service, opts)
		// Run leaves the listener open when it fails before serving.
		_ = spec.Listener.Close()
		s.lines.Flush()
		s.err = err
		close(s.done)
	}()
	return s
}

// Addr waits until the service serves, ends, or ctx ends.
func (s *Service) Addr(ctx context.Context) (string, error) {
	select {
	case <-s.ready:
		return s.Spec.Listener.Addr().String(), nil
	case <-s.done:
		return "", fmt.Errorf("%s stopped before serving: %v\n%s", s.Spec.Name, s.err, s.Tail())
	case <-ctx.Done():
		return "", fmt.Errorf("waiting for %s to serve: %w\n%s", s.Spec.Name, ctx.Err(), s.Tail())
	}
}

// Done is closed when the service has stopped.
func (s *Service) Done() <-chan struct{} { return s.done }

// Err is why the service stopped once Done is closed: nil for a clean stop.
func (s *Service) Err() error {
	select {
	case <-s.done:
		return s.err
	default:
		return nil
	}
}

// Tail returns the service's last log lines.
func (s *Service) Tail() string { return s.lines.Tail() }

// Stop cancels the service's context and waits up to grace for it to stop.
// It returns why the service stopped; outstaying grace is an error, and the
// service's goroutines are left to finish on their own.
func (s *Service) Stop(grace time.Duration) error {
	s.cancel()
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case <-s.done:
		if s.err != nil {
			return fmt.Errorf("%s: %w\n%s", s.Spec.Name, s.err, s.Tail())
		}
		return nil
	case <-timer.C:
		return fmt.Errorf("%s did not stop within %s of being cancelled\n%s", s.Spec.Name, grace, s.Tail())
	}
}
