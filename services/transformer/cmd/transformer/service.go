package main

import (
	"context"
	"fmt"
	"os"

	"github.com/bluestream/bluestream/gen/bluestream/transformer/v1/transformerv1connect"
	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/platform/config"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/transformer/internal/pipeline"
	"github.com/bluestream/bluestream/services/transformer/internal/server"
)

// service is the transformer process: the transactional stream and the API.
type service struct {
	kafka           eventbus.Config
	group           string
	transactionalID string
	input, output   string
}

// Flags implements app.Service.
func (s *service) Flags(l *config.Loader) {
	s.kafka.Register(l, "localhost:9092")
	l.String(&s.group, "group", "transformer", "Kafka consumer group")
	l.String(&s.transactionalID, "transactional-id", defaultTransactionalID(), "Kafka transactional id, unique per instance and stable across its restarts (default: transformer-<host name>, the pod name in a StatefulSet)")
	l.String(&s.input, "input-topic", topic.Advertisements, "topic of AdvertisementReceived events")
	l.String(&s.output, "output-topic", topic.Readings, "topic to publish ReadingDecoded events on")
}

// defaultTransactionalID is stable across restarts of one pod and differs
// between pods, which is what fencing a crashed instance needs.
func defaultTransactionalID() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		return ""
	}
	return "transformer-" + host
}

// Validate implements app.Service.
func (s *service) Validate() error {
	if err := s.kafka.Validate(); err != nil {
		return err
	}
	for _, f := range []struct{ name, value string }{
		{"group", s.group}, {"transactional-id", s.transactionalID}, {"input-topic", s.input}, {"output-topic", s.output},
	} {
		if f.value == "" {
			return config.Invalid(f.name, "must not be empty")
		}
	}
	if s.input == s.output {
		return config.Invalid("output-topic", "must differ from --input-topic (%s)", s.input)
	}
	return nil
}

// Start implements app.Service.
func (s *service) Start(_ context.Context, env *app.Env) error {
	decoder := &pipeline.Decoder{}
	tx, err := eventbus.NewTransactor(eventbus.TransactConfig{
		Kafka:           s.kafka,
		Group:           s.group,
		TransactionalID: s.transactionalID,
		Topics:          []string{s.input},
		Source:          "//bluestream/transformer",
	}, env.Telemetry)
	if err != nil {
		return fmt.Errorf("joining group %s: %w", s.group, err)
	}
	stage := &pipeline.Stage{Decoder: decoder, Encoder: tx.Encoder, Output: s.output}
	env.Go("stream", func(ctx context.Context) error {
		// Close after Run returns: an open transaction is aborted, so only what
		// was committed counts and the rest is consumed again after a restart.
		defer tx.Close()
		return tx.Run(ctx, stage.Transform)
	})
	srv := &server.Server{Decoder: decoder}
	env.Server.Register(transformerv1connect.TransformerServiceName)(
		transformerv1connect.NewTransformerServiceHandler(srv, env.Server.HandlerOptions()...))
	env.Logger.Info("transformer starting", "kafka", s.kafka.Redacted().Brokers, "group", s.group,
		"transactional_id", s.transactionalID, "input", s.input, "output", s.output)
	return nil
}
