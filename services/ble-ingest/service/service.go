// Package service is ble-ingest as an app.Service: its settings, the Kafka
// publisher, the IngestService handlers and whichever local source is chosen.
// Its binary runs it alone; the stack can run it beside the other services in
// one process.
//
// With --ingest-endpoint it is an edge gateway instead: no Kafka and no
// IngestService of its own; the local sources' batches go to the remote
// IngestService through package forward.
package service

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/gen/bluestream/ingest/v1/ingestv1connect"
	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/platform/config"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/pipelinemetrics"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/forward"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/ingest"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/publish"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/server"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/simulator"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/source"
)

// New returns the service, its settings still to be parsed by app.Run.
func New() app.Service { return &service{} }

type service struct {
	kafka   eventbus.Config
	topic   string
	limits  ingest.Config
	sources sources
	remote  forward.Settings

	maxInFlightBytes int
}

// sources are the optional local sources.
type sources struct {
	ReplayFile    string
	ReplaySpeed   float64
	ReplayGateway string
	Simulate      bool
	SimulateSeed  int
	SimulateFleet int
	SimulateSpeed float64
	SimulateFor   time.Duration
	HCIDevice     int
	HCIGateway    string
	BatchSize     int
}

// Flags implements app.Service.
func (s *service) Flags(l *config.Loader) {
	s.kafka.Register(l, "localhost:9092")
	l.String(&s.topic, "topic", topic.Advertisements, "topic to publish AdvertisementReceived events to")
	l.Int(&s.limits.MaxInFlightAdvertisements, "max-in-flight-advertisements", 20*ingest.MaxBatch, "advertisements awaiting Kafka before new batches get resource_exhausted")
	l.Int(&s.maxInFlightBytes, "max-in-flight-bytes", 64<<20, "approximate bytes awaiting Kafka before new batches get resource_exhausted")
	l.Duration(&s.limits.PublishTimeout, "publish-timeout", 10*time.Second, "how long a batch waits for Kafka before the caller gets unavailable")
	l.Int(&s.limits.MaxGateways, "max-gateways", 10000, "gateways whose retry windows and stats are kept (least recently seen forgotten first)")
	l.String(&s.sources.ReplayFile, "replay-file", "", "replay this btsnoop/pcap/pcapng capture")
	l.Float(&s.sources.ReplaySpeed, "replay-speed", 1, "replay pace: 1 recorded speed, 10 ten times faster, 0 as fast as possible")
	l.String(&s.sources.ReplayGateway, "replay-gateway-id", "replay", "gateway id stamped on replayed advertisements")
	l.Bool(&s.sources.Simulate, "simulate", false, "feed a simulated office fleet")
	l.Int(&s.sources.SimulateSeed, "simulate-seed", 1, "seed of the simulated fleet")
	l.Int(&s.sources.SimulateFleet, "simulate-fleet", 40, "number of simulated devices")
	l.Float(&s.sources.SimulateSpeed, "simulate-speed", 1, "virtual seconds per real second; 0 as fast as possible")
	l.Duration(&s.sources.SimulateFor, "simulate-for", 0, "virtual time to simulate; 0 runs until stopped")
	l.Int(&s.sources.HCIDevice, "hci", -1, "scan passively on this local HCI device (Linux), e.g. 0 for hci0; -1 off")
	l.String(&s.sources.HCIGateway, "hci-gateway-id", "", "gateway id stamped on advertisements from --hci; default \"local\", or when forwarding the client certificate's common name, else the host name")
	l.Int(&s.sources.BatchSize, "source-batch-size", 200, "advertisements per batch from local sources")
	s.remote.Register(l, "run as an edge gateway: send the local sources' batches to this remote IngestService (http:// cleartext HTTP/2, https:// TLS) instead of Kafka, whose settings are then ignored")
}

// Validate implements app.Service.
func (s *service) Validate() error {
	s.limits.MaxInFlightBytes = int64(s.maxInFlightBytes)
	var errs []error
	if s.remote.Endpoint != "" {
		errs = append(errs, s.validateRemote()...)
	} else {
		if err := s.kafka.Validate(); err != nil {
			errs = append(errs, err)
		}
		if s.topic == "" {
			errs = append(errs, config.Invalid("topic", "must not be empty"))
		}
		if err := s.limits.Validate(); err != nil {
			errs = append(errs, config.Invalid("max-in-flight-advertisements", "%v", err))
		}
		if s.sources.HCIGateway == "" {
			s.sources.HCIGateway = "local"
		}
	}
	if s.sources.ReplaySpeed < 0 {
		errs = append(errs, config.Invalid("replay-speed", "must be 0 or more, got %v", s.sources.ReplaySpeed))
	}
	if s.sources.SimulateFleet < 1 {
		errs = append(errs, config.Invalid("simulate-fleet", "need at least 1 device, got %d", s.sources.SimulateFleet))
	}
	if s.sources.SimulateSpeed < 0 {
		errs = append(errs, config.Invalid("simulate-speed", "must be 0 or more, got %v", s.sources.SimulateSpeed))
	}
	if s.sources.BatchSize < 1 || s.sources.BatchSize > ingest.MaxBatch {
		errs = append(errs, config.Invalid("source-batch-size", "want 1 to %d, got %d", ingest.MaxBatch, s.sources.BatchSize))
	}
	return errors.Join(errs...)
}

func (s *service) validateRemote() []error {
	var errs []error
	if err := s.remote.Validate(); err != nil {
		errs = append(errs, err)
	}
	if s.sources.ReplayFile == "" && !s.sources.Simulate && s.sources.HCIDevice < 0 {
		errs = append(errs, config.Invalid("ingest-endpoint", "a gateway forwards its local sources: set --hci, --replay-file or --simulate"))
	}
	if s.sources.HCIGateway == "" {
		id, err := s.remote.Identity()
		if err != nil {
			errs = append(errs, config.Invalid("hci-gateway-id", "none given and %v", err))
		}
		s.sources.HCIGateway = id
	}
	return errs
}

// Start implements app.Service.
func (s *service) Start(_ context.Context, env *app.Env) error {
	var sink source.Sink
	var fwd *forward.Forwarder
	if s.remote.Endpoint != "" {
		f, err := s.forwarder(env)
		if err != nil {
			return err
		}
		sink, fwd = f, f
	} else {
		in, err := s.startKafka(env)
		if err != nil {
			return err
		}
		sink = in
	}
	feeder := func() *source.Feeder {
		return &source.Feeder{Sink: sink, BatchSize: s.sources.BatchSize, NextSequence: uint64(time.Now().UnixMicro()), Logger: env.Logger}
	}
	// The forwarder closes once every source has flushed its last batch.
	var sourcesRunning sync.WaitGroup
	goSource := func(name string, loop func(ctx context.Context) error) {
		sourcesRunning.Add(1)
		env.Go(name, func(ctx context.Context) error {
			defer sourcesRunning.Done()
			return loop(ctx)
		})
	}
	if s.sources.ReplayFile != "" {
		r := source.Replay{Path: s.sources.ReplayFile, Speed: s.sources.ReplaySpeed, GatewayID: s.sources.ReplayGateway}
		goSource("replay", func(ctx context.Context) error {
			f := feeder()
			stats, err := r.Run(ctx, f)
			env.Logger.Info("replay finished", "file", r.Path, "sent", f.Sent(), "skipped", f.Skipped(), "records", stats.Records, "bad_crc", stats.BadCRC, "malformed", stats.Malformed, "err", err)
			return err
		})
	}
	if s.sources.Simulate {
		sim, err := simulator.New(source.ScaleFleet(simulator.Office(uint64(s.sources.SimulateSeed), time.Now().UTC().Truncate(time.Microsecond)), s.sources.SimulateFleet))
		if err != nil {
			return fmt.Errorf("--simulate: %w", err)
		}
		run := source.Simulate{Sim: sim, Speed: s.sources.SimulateSpeed, Duration: s.sources.SimulateFor}
		goSource("simulator", func(ctx context.Context) error { return run.Run(ctx, feeder()) })
	}
	if s.sources.HCIDevice >= 0 {
		dev, gw := s.sources.HCIDevice, s.sources.HCIGateway
		goSource("hci", func(ctx context.Context) error { return source.ScanHCI(ctx, dev, gw, feeder()) })
	}
	if fwd != nil {
		env.Logger.Info("forwarding to remote ingest", "endpoint", s.remote.Endpoint, "hci_gateway_id", s.sources.HCIGateway)
		go func() {
			sourcesRunning.Wait()
			fwd.Close()
		}()
		env.Go("forward", func(ctx context.Context) error {
			err := fwd.Run(ctx)
			st := fwd.Stats()
			env.Logger.Info("forwarding stopped", "acknowledged", st.Acknowledged, "duplicate_batches", st.DuplicateBatches,
				"rejected", st.Rejected, "failed_rounds", st.FailedRounds, "unsent", st.Buffered, "err", err)
			return err
		})
	}
	return nil
}

func (s *service) forwarder(env *app.Env) (*forward.Forwarder, error) {
	cfg, err := s.remote.Config(env.Telemetry)
	if err != nil {
		return nil, err
	}
	return forward.New(cfg)
}

func (s *service) startKafka(env *app.Env) (*ingest.Ingester, error) {
	// The producer's own buffer is bounded like ingest's in-flight limit, and
	// records give up after a while so a stuck publish frees its room.
	client, err := eventbus.NewClient(s.kafka, env.Telemetry, "//bluestream/ble-ingest", "",
		kgo.MaxBufferedRecords(s.limits.MaxInFlightAdvertisements), kgo.RecordDeliveryTimeout(2*time.Minute))
	if err != nil {
		return nil, err
	}
	metrics, err := pipelinemetrics.New(env.Telemetry.MeterProvider)
	if err != nil {
		client.Close()
		return nil, err
	}
	in, err := ingest.New(s.limits, publish.Kafka{Client: client, Topic: s.topic, Metrics: metrics})
	if err != nil {
		client.Close()
		return nil, err
	}
	env.Server.Register(ingestv1connect.IngestServiceName)(ingestv1connect.NewIngestServiceHandler(server.New(in), env.Server.HandlerOptions()...))
	env.Go("kafka client", func(ctx context.Context) error {
		<-ctx.Done()
		client.Close()
		return nil
	})
	return in, nil
}
