package app_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"

	"go.opentelemetry.io/otel"

	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/platform/config"
	"github.com/bluestream/bluestream/platform/logbuf"
	"github.com/bluestream/bluestream/platform/telemetry"
)

type loopService struct {
	workers  int
	loopErr  error
	finished chan struct{}
}

func (s *loopService) Flags(l *config.Loader) { l.Int(&s.workers, "workers", 1, "workers") }

func (s *loopService) Validate() error {
	if s.workers < 1 {
		return config.Invalid("workers", "must be at least 1")
	}
	return nil
}

func (s *loopService) Start(_ context.Context, env *app.Env) error {
	env.Go("worker", func(ctx context.Context) error {
		defer close(s.finished)
		if s.loopErr != nil {
			return s.loopErr
		}
		<-ctx.Done()
		return nil
	})
	return nil
}

func noEnv(string) (string, bool) { return "", false }

func quietTelemetry(t *testing.T) *telemetry.Telemetry {
	t.Helper()
	tel, err := telemetry.Setup(t.Context(), "app-test", telemetry.WithoutGlobals(), telemetry.WithLogOutput(&strings.Builder{}))
	if err != nil {
		t.Fatal(err)
	}
	return tel
}

func TestRunServesUntilCancelledAndStopsLoops(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &loopService{finished: make(chan struct{})}
	ctx, cancel := context.WithCancel(t.Context())
	ready := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- app.Run(ctx, "svc", nil, s, app.Options{Listener: ln, Telemetry: quietTelemetry(t), Env: noEnv, Ready: func(a net.Addr) { ready <- a }})
	}()
	addr := <-ready
	resp, err := http.Get("http://" + addr.String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/metrics: %s", resp.Status)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
	<-s.finished
}

func TestFailingLoopStopsTheProcessWithItsError(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &loopService{finished: make(chan struct{}), loopErr: errors.New("broker gone")}
	err = app.Run(t.Context(), "svc", nil, s, app.Options{Listener: ln, Telemetry: quietTelemetry(t), Env: noEnv})
	if err == nil || !strings.Contains(err.Error(), "worker: broker gone") {
		t.Fatalf("got %v, want the loop's error", err)
	}
}

func TestInvalidSettingsAreNamedBeforeStart(t *testing.T) {
	t.Parallel()
	s := &loopService{finished: make(chan struct{})}
	env := func(k string) (string, bool) {
		if k == "BLUESTREAM_LISTEN_ADDR" {
			return "nowhere", true
		}
		return "", false
	}
	err := app.Run(t.Context(), "svc", []string{"--workers", "0", "--log-level", "loud"}, s, app.Options{Env: env})
	for _, want := range []string{"--workers (BLUESTREAM_WORKERS)", "--listen-addr (BLUESTREAM_LISTEN_ADDR)", "--log-level"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want it to name %s", err, want)
		}
	}
}

// Several services in one process: each logs where it is told, under its own
// name and at its --log-level, and leaves the otel globals to others.
func TestTelemetryOptionsSetUpAServiceBesideOthers(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	before := otel.GetTracerProvider()
	var logs logbuf.Buffer
	s := &loopService{finished: make(chan struct{}), loopErr: errors.New("done")}
	opts := app.Options{Listener: ln, Env: noEnv,
		TelemetryOptions: []telemetry.Option{telemetry.WithoutGlobals(), telemetry.WithLogOutput(&logs)}}
	_ = app.Run(t.Context(), "svc-a", []string{"--log-level", "warn"}, s, opts)
	if otel.GetTracerProvider() != before {
		t.Error("Run installed its tracer provider as the otel global")
	}
	got := logs.String()
	if !strings.Contains(got, `"msg":"loop stopped"`) || !strings.Contains(got, `"service":"svc-a"`) {
		t.Errorf("logs lack the service's error line under its name:\n%s", got)
	}
	if strings.Contains(got, `"msg":"serving"`) {
		t.Errorf("--log-level warn let info lines through:\n%s", got)
	}
}

func TestLogFormatComesFromTheEnvironment(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	env := func(k string) (string, bool) {
		if k == "BLUESTREAM_LOG_FORMAT" {
			return "text", true
		}
		return "", false
	}
	var logs logbuf.Buffer
	s := &loopService{finished: make(chan struct{})}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- app.Run(ctx, "svc", nil, s, app.Options{Listener: ln, Env: env, Ready: func(net.Addr) { cancel() },
			TelemetryOptions: []telemetry.Option{telemetry.WithoutGlobals(), telemetry.WithLogOutput(&logs)}})
	}()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
	if out := logs.String(); !strings.Contains(out, "level=INFO msg=serving service=svc") || !strings.Contains(out, "version=dev") || strings.Contains(out, "{") {
		t.Errorf("want text logs, got:\n%s", out)
	}

	err = app.Run(t.Context(), "svc", []string{"--log-format", "yaml"}, s, app.Options{Env: noEnv})
	if err == nil || !strings.Contains(err.Error(), "--log-format (BLUESTREAM_LOG_FORMAT)") {
		t.Errorf("got %v, want it to name --log-format", err)
	}
}
