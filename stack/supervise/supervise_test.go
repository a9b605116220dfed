package supervise_test

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bluestream/bluestream/stack/supervise"
)

// The test binary doubles as the child: SUPERVISE_CHILD picks its behaviour.
func TestMain(m *testing.M) {
	switch os.Getenv("SUPERVISE_CHILD") {
	case "":
		os.Exit(m.Run())
	case "serve":
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGTERM)
		fmt.Println(`{"level":"INFO","msg":"serving","addr":"127.0.0.1:4242"}`)
		<-sig
		os.Exit(0)
	case "stubborn":
		// Catching SIGTERM and dropping it, rather than signal.Ignore and an
		// empty select, which the runtime would end as a deadlock.
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGTERM)
		fmt.Println(`{"level":"INFO","msg":"serving","addr":"127.0.0.1:4343"}`)
		for range sig {
		}
	case "crash":
		fmt.Fprintln(os.Stderr, "cannot reach kafka")
		os.Exit(3)
	}
}

func child(t *testing.T, mode string) supervise.Spec {
	t.Helper()
	return supervise.Spec{Name: mode, Path: os.Args[0], Env: []string{"SUPERVISE_CHILD=" + mode}}
}

func TestAddrComesFromTheServingLogLine(t *testing.T) {
	t.Parallel()
	p, err := supervise.Start(child(t, "serve"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	addr, err := p.Addr(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if addr != "127.0.0.1:4242" {
		t.Fatalf("Addr = %q", addr)
	}
	if err := p.Stop(syscall.SIGTERM, 30*time.Second); err != nil {
		t.Fatalf("clean stop reported %v", err)
	}
}

func TestChildThatExitsEarlyReportsItsOutput(t *testing.T) {
	t.Parallel()
	p, err := supervise.Start(child(t, "crash"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Addr(t.Context())
	if err == nil || !strings.Contains(err.Error(), "cannot reach kafka") {
		t.Fatalf("Addr error = %v, want the child's last output", err)
	}
	if p.Err() == nil {
		t.Fatal("exit status 3 reported as clean")
	}
}

func TestStopKillsAChildThatIgnoresTheSignal(t *testing.T) {
	t.Parallel()
	stubborn, err := supervise.Start(child(t, "stubborn"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if _, err := stubborn.Addr(ctx); err != nil {
		t.Fatal(err)
	}
	err = stubborn.Stop(syscall.SIGTERM, 500*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "stubborn did not stop") {
		t.Fatalf("Stop = %v, want the stubborn child named", err)
	}
	select {
	case <-stubborn.Done():
	default:
		t.Fatal("stubborn child still running after Stop")
	}
}
