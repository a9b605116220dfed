// Package service is the enricher as an app.Service: registry follower,
// transactional stream and RegistryService. Its binary runs it alone; the stack
// can run it beside the other services in one process.
package service

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/gen/bluestream/registry/v1/registryv1connect"
	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/platform/config"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/pipelinemetrics"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/enricher/internal/enrich"
	"github.com/bluestream/bluestream/services/enricher/internal/mapper"
	"github.com/bluestream/bluestream/services/enricher/internal/privacy"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
	"github.com/bluestream/bluestream/services/enricher/internal/registrylog"
	"github.com/bluestream/bluestream/services/enricher/internal/server"
	"github.com/bluestream/bluestream/services/enricher/internal/stream"
)

const source = "//bluestream/enricher"

// New returns the service, its settings still to be parsed by app.Run.
func New() app.Service { return &service{} }

// service is the enricher process: registry follower, stream and API.
type service struct {
	kafka                           eventbus.Config
	group, transactionalID          string
	registryWriterID                string
	readings, enriched, registryLog string
	keystoreFile                    string
	keyPeriod                       time.Duration
}

// Flags implements app.Service.
func (s *service) Flags(l *config.Loader) {
	s.kafka.Register(l, "localhost:9092")
	l.String(&s.group, "group", "enricher", "Kafka consumer group of the stream")
	host, _ := os.Hostname()
	l.String(&s.transactionalID, "transactional-id", "enricher-"+host, "Kafka transactional id, unique per instance and stable across its restarts")
	l.String(&s.registryWriterID, "registry-transactional-id", "enricher-registry", "Kafka transactional id of registry writes, the same for every instance of one deployment: taking it over fences the instance that wrote before")
	l.String(&s.readings, "readings-topic", topic.Readings, "topic of ReadingDecoded events")
	l.String(&s.enriched, "enriched-topic", topic.Enriched, "topic for ReadingEnriched and SubjectErased")
	l.String(&s.registryLog, "registry-topic", topic.RegistryEvents, "topic of registry events (the registry's log)")
	l.String(&s.keystoreFile, "keystore-file", "", "JSON file holding pseudonym and subject keys; put it on an encrypted volume")
	l.Duration(&s.keyPeriod, "key-period", 24*time.Hour, "how long a device keeps one pseudonym")
}

// Validate implements app.Service.
func (s *service) Validate() error {
	if err := s.kafka.Validate(); err != nil {
		return err
	}
	for _, f := range []struct{ name, value string }{
		{"group", s.group}, {"transactional-id", s.transactionalID}, {"registry-transactional-id", s.registryWriterID}, {"readings-topic", s.readings},
		{"enriched-topic", s.enriched}, {"registry-topic", s.registryLog}, {"keystore-file", s.keystoreFile},
	} {
		if f.value == "" {
			return config.Invalid(f.name, "must not be empty")
		}
	}
	if s.keyPeriod < time.Minute {
		return config.Invalid("key-period", "%s is shorter than a minute", s.keyPeriod)
	}
	return nil
}

// Start implements app.Service: it replays the registry before anything is served,
// so neither a command nor a reading meets a projection behind the log.
func (s *service) Start(ctx context.Context, env *app.Env) error {
	keys, err := privacy.OpenFileKeystore(s.keystoreFile)
	if err != nil {
		return err
	}
	period := privacy.Period{Length: s.keyPeriod}
	pseudo, err := privacy.NewPseudonymizer(keys, period, privacy.WithCache(65536))
	if err != nil {
		return err
	}
	sealer, err := privacy.NewSealer(keys)
	if err != nil {
		return err
	}
	events := mapper.Events{Sealer: sealer}
	reg := registry.New(time.Now)
	enricher, err := enrich.New(enrich.Config{}, reg, pseudo)
	if err != nil {
		return err
	}
	metrics, err := pipelinemetrics.New(env.Telemetry.MeterProvider)
	if err != nil {
		return err
	}
	stage := &stream.Stage{Enricher: enricher, Encoder: eventbus.Encoder{Source: source}, Output: s.enriched, Period: period, Metrics: metrics}

	tail, err := eventbus.NewClient(s.kafka, env.Telemetry, source, "", registrylog.ClientOpts(s.registryLog)...)
	if err != nil {
		return err
	}
	follower := &registrylog.Follower{Client: tail.Client, Topic: s.registryLog, Events: events, Registry: reg,
		OnErased: func(ctx context.Context, e registry.DeviceErased) error {
			stage.Erased(e.AggregateID)
			return pseudo.ForgetSubject(ctx, e.Tenant, e.SubjectID)
		}}
	if err := follower.CatchUp(ctx); err != nil {
		tail.Close()
		return fmt.Errorf("replaying %s: %w", s.registryLog, err)
	}
	env.Logger.Info("registry replayed", "events", follower.Applied())
	env.Go("registry follower", func(ctx context.Context) error { defer tail.Close(); return follower.Run(ctx) })

	writer := &registrylog.Writer{Follower: follower, NewClient: func() (*kgo.Client, error) {
		c, err := eventbus.NewClient(s.kafka, env.Telemetry, source, "", kgo.TransactionalID(s.registryWriterID))
		if err != nil {
			return nil, err
		}
		return c.Client, nil
	}}
	env.Go("registry writer", func(ctx context.Context) error { <-ctx.Done(); writer.Close(); return nil })
	srv := &server.Server{Registry: reg, Events: events, Log: writer, Encoder: eventbus.Encoder{Source: source},
		RegistryTopic: s.registryLog, EnrichedTopic: s.enriched, Pseudonyms: pseudo, Policy: privacy.DefaultPolicy(),
		OnErased: stage.Erased}
	env.Server.Register(registryv1connect.RegistryServiceName)(registryv1connect.NewRegistryServiceHandler(srv, env.Server.HandlerOptions()...))

	opts, err := s.kafka.Opts()
	if err != nil {
		return err
	}
	hooks, _ := eventbus.Instrumentation(env.Telemetry, s.group)
	sess, err := kgo.NewGroupTransactSession(append(opts, hooks, kgo.ConsumerGroup(s.group), kgo.ConsumeTopics(s.readings),
		kgo.TransactionalID(s.transactionalID), kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.RequireStableFetchOffsets())...)
	if err != nil {
		return fmt.Errorf("joining group %s: %w", s.group, err)
	}
	env.Go("stream", func(ctx context.Context) error {
		defer sess.Close() // an open transaction stays uncommitted; the next instance fences and aborts it
		return stream.Run(ctx, sess, stage)
	})
	env.Logger.Info("enricher starting", "kafka", s.kafka.Redacted().Brokers, "group", s.group, "transactional_id", s.transactionalID)
	return nil
}
