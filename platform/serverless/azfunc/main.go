package azfunc

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

	"github.com/bluestream/bluestream/platform/serverless"
)

// App is a custom handler: its routes, one per function, and the instance
// behind them.
type App struct {
	Routes   http.Handler
	Instance serverless.Instance
	Logger   *slog.Logger
}

// Main runs a custom handler as the Functions host starts it, until the
// host stops it (SIGTERM). open builds the app once; if it fails the
// process exits and the host reports the function app as failing to start.
func Main(open func(context.Context) (App, error)) {
	if err := run(open); err != nil {
		slog.Error("exiting", "err", err)
		os.Exit(1)
	}
}

func run(open func(context.Context) (App, error)) (err error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	port := os.Getenv("FUNCTIONS_CUSTOMHANDLER_PORT")
	if port == "" {
		return errors.New("FUNCTIONS_CUSTOMHANDLER_PORT: not set (the Functions host sets it)")
	}
	app, err := open(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, app.Instance.Close(context.WithoutCancel(ctx))) }()
	// The host only talks to this process over loopback.
	addr := net.JoinHostPort("127.0.0.1", port)
	app.Logger.Info("custom handler listening", "addr", addr)
	return Serve(ctx, addr, app.Routes)
}

// Serve answers the host on addr until ctx ends, then lets running
// invocations finish: the host waits for their answers, and a batch must
// not be cut off between publishing and committing.
func Serve(ctx context.Context, addr string, h http.Handler) error {
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Shutdown(context.WithoutCancel(ctx))
	}()
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
