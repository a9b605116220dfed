// Package rpctest serves rpcserver handlers on a free loopback port for tests,
// the way a service's cmd serves them, and dials them with gRPC-Go.
package rpctest

import (
	"context"
	"io"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/bluestream/bluestream/platform/rpcserver"
	"github.com/bluestream/bluestream/platform/telemetry"
)

// Telemetry returns telemetry for a test server named service: no globals, and
// its logs discarded.
func Telemetry(t testing.TB, service string) *telemetry.Telemetry {
	t.Helper()
	tel, err := telemetry.Setup(t.Context(), service, telemetry.WithoutGlobals(), telemetry.WithLogOutput(io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	return tel
}

// Serve starts an rpcserver instrumented with tel on 127.0.0.1:0, lets register
// mount the handlers on it, and serves until the test ends: its cleanup stops
// the server, waits for it, and fails the test if serving failed. It returns
// the host:port the server answers on.
func Serve(t testing.TB, tel *telemetry.Telemetry, register func(*rpcserver.Server)) string {
	t.Helper()
	srv, err := rpcserver.New(rpcserver.Config{Addr: "127.0.0.1:0", ShutdownTimeout: 5 * time.Second}, tel)
	if err != nil {
		t.Fatal(err)
	}
	register(srv)
	ln, err := srv.Listen()
	if err != nil {
		t.Fatal(err)
	}
	// Stopped by the cleanup rather than by t.Context(), so it stops in cleanup
	// order: before what was set up ahead of it, e.g. what its handlers use.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// GRPCConn returns a gRPC-Go client connection to addr over cleartext HTTP/2,
// closed when the test ends.
func GRPCConn(t testing.TB, addr string) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}
