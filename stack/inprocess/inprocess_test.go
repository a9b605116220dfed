package inprocess_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/platform/config"
	"github.com/bluestream/bluestream/platform/logbuf"
	"github.com/bluestream/bluestream/stack/inprocess"
)

// worker is a service whose one loop fails when fail is closed and, when
// stubborn, ignores cancellation until release is closed.
type worker struct {
	limit         int
	stubborn      bool
	fail, release chan struct{}
}

func newWorker() *worker { return &worker{fail: make(chan struct{}), release: make(chan struct{})} }

func (w *worker) Flags(l *config.Loader) { l.Int(&w.limit, "limit", 1, "limit") }

func (w *worker) Validate() error {
	if w.limit < 1 {
		return config.Invalid("limit", "must be at least 1")
	}
	return nil
}

func (w *worker) Start(_ context.Context, env *app.Env) error {
	env.Go("work", func(ctx context.Context) error {
		done := ctx.Done()
		if w.stubborn {
			done = w.release
		}
		select {
		case <-w.fail:
			return errors.New("disk full")
		case <-done:
			return nil
		}
	})
	return nil
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

func serving(t *testing.T, s *inprocess.Service) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	addr, err := s.Addr(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

func TestStopEndsTheServiceAndFreesItsPort(t *testing.T) {
	t.Parallel()
	var log logbuf.Buffer
	ln := listen(t)
	s := inprocess.Run(inprocess.Spec{Name: "worker", Service: newWorker(), Listener: ln, Log: &log})
	if addr := serving(t, s); addr != ln.Addr().String() {
		t.Errorf("Addr = %s, want the listener's %s", addr, ln.Addr())
	}
	if err := s.Stop(30 * time.Second); err != nil {
		t.Fatalf("clean stop reported %v", err)
	}
	again, err := net.Listen("tcp", ln.Addr().String())
	if err != nil {
		t.Fatalf("port still taken after Stop: %v", err)
	}
	_ = again.Close()
	for _, want := range []string{`worker | {`, `"service":"worker"`, `"msg":"serving"`, `"msg":"stopped"`} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, log.String())
		}
	}
}

func TestAFailingLoopEndsTheServiceWithItsErrorAndTail(t *testing.T) {
	t.Parallel()
	w := newWorker()
	s := inprocess.Run(inprocess.Spec{Name: "worker", Service: w, Listener: listen(t)})
	serving(t, s)
	close(w.fail)
	select {
	case <-s.Done():
	case <-t.Context().Done():
		t.Fatal("the service runs on after its loop failed")
	}
	if err := s.Err(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Err = %v, want the loop's error", err)
	}
	if !strings.Contains(s.Tail(), "loop stopped") {
		t.Errorf("tail lacks the failure:\n%s", s.Tail())
	}
	if err := s.Stop(time.Second); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Stop after a failure = %v, want the failure", err)
	}
}

func TestInvalidSettingsEndItBeforeServing(t *testing.T) {
	t.Parallel()
	ln := listen(t)
	s := inprocess.Run(inprocess.Spec{Name: "worker", Service: newWorker(), Args: []string{"--limit", "0"}, Listener: ln})
	_, err := s.Addr(t.Context())
	if err == nil || !strings.Contains(err.Error(), "--limit") {
		t.Fatalf("Addr = %v, want the bad flag named", err)
	}
	<-s.Done()
	again, err := net.Listen("tcp", ln.Addr().String())
	if err != nil {
		t.Fatalf("port still taken by a service that never served: %v", err)
	}
	_ = again.Close()
}

func TestStopGivesUpOnAServiceThatIgnoresCancellation(t *testing.T) {
	t.Parallel()
	w := newWorker()
	w.stubborn = true
	s := inprocess.Run(inprocess.Spec{Name: "stubborn", Service: w, Listener: listen(t)})
	serving(t, s)
	err := s.Stop(200 * time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "stubborn did not stop") {
		t.Errorf("Stop = %v, want the service named", err)
	}
	close(w.release)
	<-s.Done()
}
