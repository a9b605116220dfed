// Package service is ble-ingest as an app.Service: its settings, the Kafka
// publisher, the IngestService handlers and whichever local source is chosen.
// Its binary runs it alone; the stack can run it beside the other services in
// one process.
package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/gen/bluestream/ingest/v1/ingestv1connect"
	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/platform/config"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/topic"
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
	l.String(&s.sources.HCIGateway, "hci-gateway-id", "local", "gateway id stamped on advertisements from --hci")
	l.Int(&s.sources.BatchSize, "source-batch-size", 200, "advertisements per batch from local sources")
}

// Validate implements app.Service.
func (s *service) Validate() error {
	s.limits.MaxInFlightBytes = int64(s.maxInFlightBytes)
	var errs []error
	if err := s.kafka.Validate(); err != nil {
		errs = append(errs, err)
	}
	if s.topic == "" {
		errs = append(errs, config.Invalid("topic", "must not be empty"))
	}
	if err := s.limits.Validate(); err != nil {
		errs = append(errs, config.Invalid("max-in-flight-advertisements", "%v", err))
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

// Start implements app.Service.
func (s *service) Start(_ context.Context, env *app.Env) error {
	// The producer's own buffer is bounded like ingest's in-flight limit, and
	// records give up after a while so a stuck publish frees its room.
	client, err := eventbus.NewClient(s.kafka, env.Telemetry, "//bluestream/ble-ingest", "",
		kgo.MaxBufferedRecords(s.limits.MaxInFlightAdvertisements), kgo.RecordDeliveryTimeout(2*time.Minute))
	if err != nil {
		return err
	}
	in, err := ingest.New(s.limits, publish.Kafka{Client: client, Topic: s.topic})
	if err != nil {
		client.Close()
		return err
	}
	env.Server.Register(ingestv1connect.IngestServiceName)(ingestv1connect.NewIngestServiceHandler(server.New(in), env.Server.HandlerOptions()...))
	env.Go("kafka client", func(ctx context.Context) error {
		<-ctx.Done()
		client.Close()
		return nil
	})
	feeder := func() *source.Feeder {
		return &source.Feeder{Sink: in, BatchSize: s.sources.BatchSize, NextSequence: uint64(time.Now().UnixMicro()), Logger: env.Logger}
	}
	if s.sources.ReplayFile != "" {
		r := source.Replay{Path: s.sources.ReplayFile, Speed: s.sources.ReplaySpeed, GatewayID: s.sources.ReplayGateway}
		env.Go("replay", func(ctx context.Context) error {
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
		env.Go("simulator", func(ctx context.Context) error { return run.Run(ctx, feeder()) })
	}
	if s.sources.HCIDevice >= 0 {
		dev, gw := s.sources.HCIDevice, s.sources.HCIGateway
		env.Go("hci", func(ctx context.Context) error { return source.ScanHCI(ctx, dev, gw, feeder()) })
	}
	return nil
}
