// Package service is the analyzer as an app.Service: consumer, projections,
// API and dashboard. Its binary runs it alone; the stack can run it beside the
// other services in one process.
package service

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/bluestream/bluestream/gen/bluestream/analyzer/v1/analyzerv1connect"
	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/platform/config"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/analyzer/internal/alert"
	"github.com/bluestream/bluestream/services/analyzer/internal/analyze"
	"github.com/bluestream/bluestream/services/analyzer/internal/consumer"
	"github.com/bluestream/bluestream/services/analyzer/internal/dashboard"
	"github.com/bluestream/bluestream/services/analyzer/internal/projection"
	"github.com/bluestream/bluestream/services/analyzer/internal/server"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/boltstore"
)

// New returns the service, its settings still to be parsed by app.Run.
func New() app.Service { return &service{} }

// service is the analyzer process: consumer, API and dashboard on one engine.
type service struct {
	kafka        eventbus.Config
	input        string
	alerts       string
	storeDir     string
	rebuild      bool
	k            int
	lateness     time.Duration
	idleAfter    time.Duration
	batteryLow   float64
	alertHistory int
}

// Flags implements app.Service.
func (s *service) Flags(l *config.Loader) {
	s.kafka.Register(l, "localhost:9092")
	l.String(&s.input, "input-topic", topic.Remote("azure", topic.Enriched), "topic of ReadingEnriched and SubjectErased events (the mirrored enriched topic)")
	l.String(&s.alerts, "alerts-topic", topic.Alerts, "topic to publish AlertRaised and AlertResolved on")
	l.String(&s.storeDir, "store-dir", "data/analyzer", "directory of the embedded projection store")
	l.Bool(&s.rebuild, "rebuild", false, "delete the stored projections and replay the input topic from the beginning")
	l.Int(&s.k, "k", 5, "employee devices without a works-council agreement count only in aggregates of at least k")
	l.Duration(&s.lateness, "lateness", 10*time.Second, "how far timeouts trail the newest event time, for readings that arrive out of order")
	l.Duration(&s.idleAfter, "idle-after", time.Second, "a poll this long without records means caught up: tick with the wall clock")
	l.Float(&s.batteryLow, "battery-low-percent", 15, "raise battery_low below this charge")
	l.Int(&s.alertHistory, "alert-history", 10_000, "alert events kept for listings and resuming watchers")
}

// Validate implements app.Service.
func (s *service) Validate() error {
	if err := s.kafka.Validate(); err != nil {
		return err
	}
	switch {
	case s.input == "":
		return config.Invalid("input-topic", "must not be empty")
	case s.alerts == "":
		return config.Invalid("alerts-topic", "must not be empty")
	case s.alerts == s.input:
		return config.Invalid("alerts-topic", "must differ from --input-topic (%s)", s.input)
	case s.storeDir == "":
		return config.Invalid("store-dir", "must not be empty")
	case s.k < 1:
		return config.Invalid("k", "must be at least 1, got %d", s.k)
	case s.lateness < 0:
		return config.Invalid("lateness", "must not be negative, got %s", s.lateness)
	case s.idleAfter <= 0:
		return config.Invalid("idle-after", "must be positive, got %s", s.idleAfter)
	case s.batteryLow <= 0 || s.batteryLow > 100:
		return config.Invalid("battery-low-percent", "must be within (0, 100], got %v", s.batteryLow)
	case s.alertHistory < 1:
		return config.Invalid("alert-history", "must be at least 1, got %d", s.alertHistory)
	}
	return nil
}

// Start implements app.Service.
func (s *service) Start(ctx context.Context, env *app.Env) error {
	st, err := s.openStore()
	if err != nil {
		return err
	}
	engine, err := analyze.Open(ctx, st, analyze.Config{
		Projection:   projection.Config{MinAggregate: s.k},
		Alerts:       alert.Config{BatteryLowPercent: s.batteryLow},
		Lateness:     s.lateness,
		AlertHistory: s.alertHistory,
	})
	if err != nil {
		return errors.Join(err, st.Close())
	}
	cons, err := consumer.New(ctx, consumer.Config{InputTopic: s.input, AlertsTopic: s.alerts, IdleAfter: s.idleAfter, Lateness: s.lateness},
		s.kafka, env.Telemetry, engine)
	if err != nil {
		return errors.Join(fmt.Errorf("consuming %s: %w", s.input, err), st.Close())
	}
	env.Go("consumer", func(ctx context.Context) error {
		defer func() { cons.Close(); _ = st.Close() }()
		return cons.Run(ctx)
	})
	env.Server.Register(analyzerv1connect.AnalyzerServiceName)(
		analyzerv1connect.NewAnalyzerServiceHandler(&server.Server{Engine: engine}, env.Server.HandlerOptions()...))
	env.Server.Handle("/", dashboard.Handler())
	env.Logger.Info("analyzer starting", "kafka", s.kafka.Redacted().Brokers, "input", s.input, "alerts", s.alerts,
		"store_dir", s.storeDir, "rebuild", s.rebuild, "k", s.k, "resume_at", fmt.Sprint(engine.Offsets()))
	return nil
}

// openStore opens the store, emptied first on --rebuild: the projections
// are a function of the log, so deleting them loses nothing the replay
// does not bring back.
func (s *service) openStore() (*boltstore.Store, error) {
	if err := os.MkdirAll(s.storeDir, 0o700); err != nil {
		return nil, fmt.Errorf("--store-dir: %w", err)
	}
	if s.rebuild {
		path := filepath.Join(s.storeDir, boltstore.FileName)
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("--rebuild: removing %s: %w", path, err)
		}
	}
	return boltstore.Open(s.storeDir)
}
