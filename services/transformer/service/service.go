// Package service is the transformer as an app.Service: transactional decode
// stream, plugins and TransformerService. Its binary runs it alone; the stack
// can run it beside the other services in one process.
package service

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/bluestream/bluestream/gen/bluestream/transformer/v1/transformerv1connect"
	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/platform/config"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/transformer/internal/pipeline"
	"github.com/bluestream/bluestream/services/transformer/internal/plugin"
	"github.com/bluestream/bluestream/services/transformer/internal/server"
)

// New returns the service, its settings still to be parsed by app.Run.
func New() app.Service { return &service{} }

// service is the transformer process: the transactional stream and the API.
type service struct {
	kafka           eventbus.Config
	group           string
	transactionalID string
	input, output   string

	pluginDir       string
	pluginTimeout   time.Duration
	pluginMemoryMiB int
}

// Flags implements app.Service.
func (s *service) Flags(l *config.Loader) {
	s.kafka.Register(l, "localhost:9092")
	l.String(&s.group, "group", "transformer", "Kafka consumer group")
	l.String(&s.transactionalID, "transactional-id", defaultTransactionalID(), "Kafka transactional id, unique per instance and stable across its restarts (default: transformer-<host name>, the pod name in a StatefulSet)")
	l.String(&s.input, "input-topic", topic.Advertisements, "topic of AdvertisementReceived events")
	l.String(&s.output, "output-topic", topic.Readings, "topic to publish ReadingDecoded events on")
	l.String(&s.pluginDir, "plugin-dir", "", "directory of WASM decoder plugins (<name>.wasm with <name>.json); none when empty")
	l.Duration(&s.pluginTimeout, "plugin-timeout", 100*time.Millisecond, "time limit of one plugin call; the record goes to the DLQ when it runs out")
	l.Int(&s.pluginMemoryMiB, "plugin-memory-mib", 32, "memory cap of one plugin instance in MiB")
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
	if s.pluginTimeout <= 0 {
		return config.Invalid("plugin-timeout", "must be positive, got %s", s.pluginTimeout)
	}
	if s.pluginMemoryMiB < 1 || s.pluginMemoryMiB > 4096 {
		return config.Invalid("plugin-memory-mib", "want 1 to 4096 (WebAssembly's 32-bit limit), got %d", s.pluginMemoryMiB)
	}
	if s.pluginDir != "" {
		if fi, err := os.Stat(s.pluginDir); err != nil || !fi.IsDir() {
			return config.Invalid("plugin-dir", "%q is not a readable directory", s.pluginDir)
		}
	}
	return nil
}

// Start implements app.Service.
func (s *service) Start(ctx context.Context, env *app.Env) error {
	decoder := &pipeline.Decoder{}
	srv := &server.Server{Decoder: decoder}
	if s.pluginDir != "" {
		reg, err := plugin.Open(ctx, s.pluginDir, plugin.Limits{
			CallTimeout: s.pluginTimeout,
			MemoryPages: uint32(s.pluginMemoryMiB) * 16, // 64 KiB pages
		})
		if err != nil {
			return fmt.Errorf("loading plugins: %w", err)
		}
		decoder.Plugins, srv.Plugins = reg, reg
		env.Go("plugins", func(ctx context.Context) error {
			<-ctx.Done()
			// Calls after this fail with plugin.ErrClosed, which the stream
			// retries (aborts) rather than dead-letters.
			return reg.Close(context.WithoutCancel(ctx))
		})
		env.Logger.Info("plugins loaded", "dir", s.pluginDir, "count", len(reg.Manifests()))
	}
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
	env.Server.Register(transformerv1connect.TransformerServiceName)(
		transformerv1connect.NewTransformerServiceHandler(srv, env.Server.HandlerOptions()...))
	env.Logger.Info("transformer starting", "kafka", s.kafka.Redacted().Brokers, "group", s.group,
		"transactional_id", s.transactionalID, "input", s.input, "output", s.output)
	return nil
}
