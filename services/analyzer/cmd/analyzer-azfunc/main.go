// Command analyzer-azfunc is the analyzer as an Azure Functions custom
// handler: the Functions host runs it, passes FUNCTIONS_CUSTOMHANDLER_PORT,
// and POSTs each Kafka trigger batch of azure.ble.enriched.v1 to /analyze
// (deploy/azure/analyzer). Each batch is applied to the engine opened on
// the PostgreSQL store at BLUESTREAM_STORE_DSN, its alerts are published on
// analyzer.alerts.v1, poison records are dead-lettered, and state and
// offsets are committed together before the host hears of success.
package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/cmd/internal/serverless"
	"github.com/bluestream/bluestream/services/analyzer/cmd/internal/serverless/azfunc"
)

const (
	program = "analyzer-azfunc"
	// function and binding name the function folder and its trigger in
	// deploy/azure/analyzer/analyze/function.json.
	function = "analyze"
	binding  = "events"
)

func main() {
	if err := run(); err != nil {
		slog.Error("exiting", "err", err)
		os.Exit(1)
	}
}

func run() (err error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	port := os.Getenv("FUNCTIONS_CUSTOMHANDLER_PORT")
	if port == "" {
		return errors.New("FUNCTIONS_CUSTOMHANDLER_PORT: not set (the Functions host sets it)")
	}
	cfg, err := serverless.Load(program, os.LookupEnv)
	if err != nil {
		return err
	}
	rt, err := serverless.Open(ctx, program, cfg)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, rt.Close(context.WithoutCancel(ctx))) }()
	// commitOnFailure is false: poison records are parked here, not retried.
	rt.Handler.DeadLetter = true
	mux := http.NewServeMux()
	mux.Handle("POST /"+function, &azfunc.Handler{Core: rt.Handler, Logger: rt.Logger, Binding: binding})
	// The host only talks to this process over loopback.
	srv := &http.Server{Addr: net.JoinHostPort("127.0.0.1", port), Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		// Let a running invocation finish its commit: the host waits for it.
		_ = srv.Shutdown(context.WithoutCancel(ctx))
	}()
	rt.Logger.Info("custom handler listening", "addr", srv.Addr, "function", function)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
