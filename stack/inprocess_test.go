package stack_test

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"

	analyzerv1 "github.com/bluestream/bluestream/gen/bluestream/analyzer/v1"
	"github.com/bluestream/bluestream/gen/bluestream/analyzer/v1/analyzerv1connect"
	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/platform/logbuf"
	transformer "github.com/bluestream/bluestream/services/transformer/service"
	"github.com/bluestream/bluestream/stack"
	"github.com/bluestream/bluestream/stack/h2c"
)

// TestInProcessStackShowsTheFleetAndFreesItsPorts: all five services in the
// test's own process, the simulated office flowing through them to the
// analyzer, and every port free again once Close returns.
func TestInProcessStackShowsTheFleetAndFreesItsPorts(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every service")
	}
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	var log logbuf.Buffer
	s, err := stack.Start(ctx, stack.Config{Mode: stack.ModeInProcess, Simulate: true, Fleet: 8, Speed: 2, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Banner().Mode; got != stack.ModeInProcess {
		t.Errorf("banner mode %q", got)
	}
	if len(s.URLs) != len(stack.Services) || len(s.Missing) > 0 {
		t.Errorf("running %v, missing %v: in one process every service is there", s.URLs, s.Missing)
	}
	analyzerShowsDevices(ctx, t, s.URLs["analyzer"])
	addrs := append(s.Clusters.Primary.ListenAddrs(), s.Clusters.Mirror.ListenAddrs()...)
	for _, u := range s.URLs {
		parsed, _ := url.Parse(u)
		addrs = append(addrs, parsed.Host)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	for _, a := range addrs {
		ln, err := net.Listen("tcp", a)
		if err != nil {
			t.Errorf("%s still taken after Close: %v", a, err)
			continue
		}
		_ = ln.Close()
	}
	for _, name := range stack.Services {
		if !strings.Contains(log.String(), name+` | {"time"`) || !strings.Contains(log.String(), `"service":"`+name+`"`) {
			t.Errorf("no JSON log lines of %s under its name", name)
		}
	}
}

// doomed is a real service with one more loop, which fails on demand.
type doomed struct {
	app.Service
	fail chan struct{}
}

func (d doomed) Start(ctx context.Context, env *app.Env) error {
	if err := d.Service.Start(ctx, env); err != nil {
		return err
	}
	env.Go("doomed", func(ctx context.Context) error {
		select {
		case <-d.fail:
			return errors.New("disk full")
		case <-ctx.Done():
			return nil
		}
	})
	return nil
}

// TestExitedReportsAnInProcessServiceThatFailed, as it does a crashed child:
// by name, with its error and its last log lines.
func TestExitedReportsAnInProcessServiceThatFailed(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every service")
	}
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	d := doomed{Service: transformer.New(), fail: make(chan struct{})}
	s, err := stack.Start(ctx, stack.Config{Mode: stack.ModeInProcess, Implementations: map[string]app.Service{"transformer": d}})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case e := <-s.Exited():
		t.Fatalf("%s stopped before anything failed: %v", e.Name, e.Err)
	default:
	}
	close(d.fail)
	var e stack.Exit
	select {
	case e = <-s.Exited():
	case <-ctx.Done():
		t.Fatal("no service reported after the transformer's loop failed")
	}
	if e.Name != "transformer" || e.Err == nil || !strings.Contains(e.Err.Error(), "doomed: disk full") {
		t.Errorf("exit %q: %v, want the transformer's loop error", e.Name, e.Err)
	}
	if !strings.Contains(e.Tail, `"msg":"loop stopped"`) {
		t.Errorf("tail lacks the failure:\n%s", e.Tail)
	}
	if err := s.Close(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Close = %v, want the failure reported again", err)
	}
}

func TestInProcessModeRefusesEnvItCannotApply(t *testing.T) {
	t.Parallel()
	_, err := stack.Start(t.Context(), stack.Config{Mode: stack.ModeInProcess, Env: []string{"OTEL_TRACES_EXPORTER=otlp"}})
	if err == nil || !strings.Contains(err.Error(), "inprocess") {
		t.Fatalf("got %v, want Env refused in inprocess mode", err)
	}
	if _, err := stack.Start(t.Context(), stack.Config{Mode: "threads"}); err == nil || !strings.Contains(err.Error(), "process or inprocess") {
		t.Fatalf("unknown mode: %v", err)
	}
}

func analyzerShowsDevices(ctx context.Context, t *testing.T, url string) {
	t.Helper()
	c := analyzerv1connect.NewAnalyzerServiceClient(h2c.Client(), url)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		res, err := c.ListDevices(ctx, connect.NewRequest(&analyzerv1.ListDevicesRequest{}))
		if err == nil && len(res.Msg.GetDevices()) > 0 {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the analyzer shows no devices: %v", err)
		case <-tick.C:
		}
	}
}
