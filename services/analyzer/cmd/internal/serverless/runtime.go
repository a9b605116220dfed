package serverless

import (
	"context"
	"errors"
	"log/slog"
	"os"

	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/serverless"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/services/analyzer/internal/consumer"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/pgstore"
)

// Runtime is what a function instance keeps between invocations:
// telemetry, the producer, the store's connections and the handler. None of
// it holds projection state; that is read from the store for every batch.
type Runtime struct {
	Handler   *Handler
	Client    *eventbus.Client
	Telemetry *telemetry.Telemetry
	Logger    *slog.Logger
	store     *pgstore.Store
	lock      *Lock
}

// OpenEnv loads the settings from the environment and opens a Runtime for
// them: what a function instance does once when it starts.
func OpenEnv(ctx context.Context, program string, opts ...telemetry.Option) (*Runtime, error) {
	cfg, err := Load(program, os.LookupEnv)
	if err != nil {
		return nil, err
	}
	return Open(ctx, program, cfg, opts...)
}

// Open builds a Runtime for cfg. Close it when the instance shuts down.
func Open(ctx context.Context, program string, cfg Config, opts ...telemetry.Option) (_ *Runtime, err error) {
	tel, err := telemetry.Setup(ctx, program, opts...)
	if err != nil {
		return nil, err
	}
	var closers []func() error
	defer func() {
		if err != nil {
			for _, c := range closers {
				err = errors.Join(err, c())
			}
			err = errors.Join(err, tel.Shutdown(ctx))
		}
	}()
	// consumer.Source: alerts carry the same ce_source on every target.
	cl, err := eventbus.NewClient(cfg.Kafka, tel, consumer.Source, "")
	if err != nil {
		return nil, err
	}
	closers = append(closers, func() error { cl.Close(); return nil })
	st, err := pgstore.Open(ctx, cfg.StoreDSN)
	if err != nil {
		return nil, err
	}
	closers = append(closers, st.Close)
	lock, err := NewLock(ctx, cfg.StoreDSN)
	if err != nil {
		return nil, err
	}
	return &Runtime{
		Handler: &Handler{
			Store: st, Engine: cfg.Engine(), Lock: lock, Client: cl, Input: cfg.Input, Alerts: cfg.Alerts,
			Propagator: tel.Propagator, Tracer: tel.Tracer(program), Logger: tel.Logger,
		},
		Client:    cl,
		Telemetry: tel,
		Logger:    tel.Logger,
		store:     st,
		lock:      lock,
	}, nil
}

// Flush exports the spans of the invocation that just ended.
func (r *Runtime) Flush(ctx context.Context) error { return serverless.FlushSpans(ctx, r.Telemetry) }

// Close flushes and closes the producer, the store and telemetry.
func (r *Runtime) Close(ctx context.Context) error {
	err := r.Client.Flush(ctx)
	r.Client.Close()
	r.lock.Close()
	return errors.Join(err, r.store.Close(), r.Telemetry.Shutdown(ctx))
}
