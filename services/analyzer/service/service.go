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
	"github.com/bluestream/bluestream/services/analyzer/internal/analyze"
	"github.com/bluestream/bluestream/services/analyzer/internal/consumer"
	"github.com/bluestream/bluestream/services/analyzer/internal/dashboard"
	"github.com/bluestream/bluestream/services/analyzer/internal/server"
	"github.com/bluestream/bluestream/services/analyzer/internal/settings"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/boltstore"
)

// New returns the service, its settings still to be parsed by app.Run.
func New() app.Service { return &service{} }

// service is the analyzer process: consumer, API and dashboard on one engine.
type service struct {
	kafka eventbus.Config
	// analyzer holds the topics and engine settings the serverless
	// functions have too.
	analyzer  settings.Analyzer
	storeDir  string
	rebuild   bool
	idleAfter time.Duration
}

// Flags implements app.Service.
func (s *service) Flags(l *config.Loader) {
	s.kafka.Register(l, "localhost:9092")
	s.analyzer.Register(l)
	l.String(&s.storeDir, "store-dir", "data/analyzer", "directory of the embedded projection store")
	l.Bool(&s.rebuild, "rebuild", false, "delete the stored projections and replay the input topic from the beginning")
	l.Duration(&s.idleAfter, "idle-after", time.Second, "a poll this long without records means caught up: tick with the wall clock")
}

// Validate implements app.Service.
func (s *service) Validate() error {
	if err := s.kafka.Validate(); err != nil {
		return err
	}
	if s.storeDir == "" {
		return config.Invalid("store-dir", "must not be empty")
	}
	if err := s.analyzer.Validate(); err != nil {
		return err
	}
	if s.idleAfter <= 0 {
		return config.Invalid("idle-after", "must be positive, got %s", s.idleAfter)
	}
	return nil
}

// Start implements app.Service.
func (s *service) Start(ctx context.Context, env *app.Env) error {
	st, err := s.openStore()
	if err != nil {
		return err
	}
	engine, err := analyze.Open(ctx, st, s.analyzer.Engine())
	if err != nil {
		return errors.Join(err, st.Close())
	}
	cons, err := consumer.New(ctx, consumer.Config{InputTopic: s.analyzer.Input, AlertsTopic: s.analyzer.Alerts, IdleAfter: s.idleAfter, Lateness: s.analyzer.Lateness},
		s.kafka, env.Telemetry, engine)
	if err != nil {
		return errors.Join(fmt.Errorf("consuming %s: %w", s.analyzer.Input, err), st.Close())
	}
	env.Go("consumer", func(ctx context.Context) error {
		defer func() { cons.Close(); _ = st.Close() }()
		return cons.Run(ctx)
	})
	env.Server.Register(analyzerv1connect.AnalyzerServiceName)(
		analyzerv1connect.NewAnalyzerServiceHandler(&server.Server{Engine: engine}, env.Server.HandlerOptions()...))
	env.Server.Handle("/", dashboard.Handler())
	env.Logger.Info("analyzer starting", "kafka", s.kafka.Redacted().Brokers, "input", s.analyzer.Input, "alerts", s.analyzer.Alerts,
		"store_dir", s.storeDir, "rebuild", s.rebuild, "k", s.analyzer.K, "resume_at", fmt.Sprint(engine.Offsets()))
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
