// Command bluestream-simulator runs a fleet of simulated BLE devices heard by
// virtual gateways and streams what the gateways hear to a remote
// IngestService, as a rig of real edge gateways would, for load tests and
// demos. It forwards exactly as ble-ingest does with --ingest-endpoint
// (package forward): bounded buffer, per-gateway sequences, resend with
// backoff.
//
// Devices come from the simulator (ble-ingest's --simulate fleet, scaled to
// --sim-devices); the gateways stand on a generated floor of one room per
// gateway, so any number of them hear a realistic share of the fleet.
//
// It runs until SIGINT or SIGTERM, or until --sim-for of virtual time passed,
// then delivers what it still holds and exits 0 when everything arrived.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/bluestream/bluestream/gen/bluestream/registry/v1/registryv1connect"
	"github.com/bluestream/bluestream/platform/buildinfo"
	"github.com/bluestream/bluestream/platform/config"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/services/ble-ingest/floorplan"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/forward"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/ingest"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/simulator"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/source"
)

const name = "bluestream-simulator"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.LookupEnv, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		return // the usage was printed: asking for it is no failure
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}

type settings struct {
	remote        forward.Settings
	devices       int
	gateways      int
	seed          int
	speed         float64
	duration      time.Duration
	gatewayPrefix string
	batchSize     int
	logLevel      string
	logFormat     string
	registry      string
	tenant, site  string
}

func (s *settings) register(l *config.Loader) {
	s.remote.Register(l, "IngestService the simulated gateways stream to (http:// cleartext HTTP/2, https:// TLS); required")
	l.Int(&s.devices, "sim-devices", 1000, "simulated BLE devices (the office mix of badges, tags, sensors and phones, scaled)")
	l.Int(&s.gateways, "sim-gateways", 20, "virtual gateways, one per room of a generated floor")
	l.Int(&s.seed, "sim-seed", 1, "seed of the fleet: the same seed gives the same devices, addresses and walks")
	l.Float(&s.speed, "sim-speed", 1, "virtual seconds per real second; 0 as fast as possible")
	l.Duration(&s.duration, "sim-for", 0, "virtual time to simulate before delivering what is left and exiting; 0 runs until stopped")
	l.String(&s.gatewayPrefix, "sim-gateway-prefix", "", "prefix of the gateway ids (<prefix>gw-001 …); default sim-<host name>-, so that simulators sharing an ingest never share a gateway id")
	l.Int(&s.batchSize, "source-batch-size", 200, "advertisements per batch a gateway sends at most (a slow remote sees them merged up to 1000)")
	l.String(&s.registry, "registry-endpoint", "", "the enricher's RegistryService: register the simulated gateways there first, so their readings are enriched rather than dead-lettered as from unknown gateways; empty registers nothing")
	l.String(&s.tenant, "sim-tenant", "bluestream-dev", "tenant the simulated gateways are registered for")
	l.String(&s.site, "sim-site", "simulated", "site the simulated gateways are registered at; each simulator's gateways form one building named after --sim-gateway-prefix")
	l.String(&s.logLevel, "log-level", "info", "debug, info, warn or error")
	l.String(&s.logFormat, "log-format", string(telemetry.LogJSON), "json (one object per line, for log shipping) or text (key=value, for people)")
}

var gatewayIDChars = regexp.MustCompile(`^[A-Za-z0-9._:-]*$`)

func (s *settings) validate() error {
	errs := []error{s.remote.Validate()}
	if s.devices < 1 || s.devices > 1_000_000 {
		errs = append(errs, config.Invalid("sim-devices", "want 1 to 1000000, got %d", s.devices))
	}
	if s.gateways < 1 || s.gateways > 10_000 {
		errs = append(errs, config.Invalid("sim-gateways", "want 1 to 10000, got %d", s.gateways))
	}
	if s.seed < 0 {
		errs = append(errs, config.Invalid("sim-seed", "must be 0 or more, got %d", s.seed))
	}
	if s.speed < 0 || math.IsNaN(s.speed) || math.IsInf(s.speed, 0) {
		errs = append(errs, config.Invalid("sim-speed", "must be 0 or more, got %v", s.speed))
	}
	if s.duration < 0 {
		errs = append(errs, config.Invalid("sim-for", "must be 0 or more, got %v", s.duration))
	}
	if s.gatewayPrefix == "" {
		host, err := os.Hostname()
		if err != nil || host == "" {
			errs = append(errs, config.Invalid("sim-gateway-prefix", "none given and the host name is unknown (%v)", err))
		}
		s.gatewayPrefix = "sim-" + host + "-"
	}
	// The contract allows 128 characters; gw-NNNNN takes 8.
	if len(s.gatewayPrefix) > 120 || !gatewayIDChars.MatchString(s.gatewayPrefix) {
		errs = append(errs, config.Invalid("sim-gateway-prefix", "want at most 120 letters, digits and ._:- , got %q", s.gatewayPrefix))
	}
	if u, err := url.Parse(s.registry); s.registry != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		errs = append(errs, config.Invalid("registry-endpoint", "want an http:// or https:// URL, got %q", s.registry))
	}
	if s.registry != "" && (s.tenant == "" || s.site == "") {
		errs = append(errs, config.Invalid("sim-tenant", "--sim-tenant and --sim-site must not be empty when registering"))
	}
	if s.batchSize < 1 || s.batchSize > ingest.MaxBatch {
		errs = append(errs, config.Invalid("source-batch-size", "want 1 to %d, got %d", ingest.MaxBatch, s.batchSize))
	}
	return errors.Join(errs...)
}

// run is the command; telOpts adjust its telemetry (tests send logs aside).
func run(ctx context.Context, args []string, env func(string) (string, bool), stderr io.Writer, telOpts ...telemetry.Option) (err error) {
	var s settings
	l := config.New(name).WithEnv(env)
	l.SetOutput(stderr)
	s.register(l)
	if err := l.Parse(args); err != nil {
		return err
	}
	var level slog.Level
	lerr := level.UnmarshalText([]byte(s.logLevel))
	if lerr != nil {
		lerr = config.Invalid("log-level", "want debug, info, warn or error, got %q", s.logLevel)
	}
	format, ferr := telemetry.ParseLogFormat(s.logFormat)
	if ferr != nil {
		ferr = config.Invalid("log-format", "%v", ferr)
	}
	if err := errors.Join(lerr, ferr, s.validate()); err != nil {
		return fmt.Errorf("invalid settings: %w", err)
	}
	tel, err := telemetry.Setup(ctx, name, append(telOpts, telemetry.WithLogLevel(level), telemetry.WithLogFormat(format))...)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, tel.Shutdown(context.WithoutCancel(ctx))) }()

	start := time.Now().UTC().Truncate(time.Microsecond)
	fleetCfg := fleet(s, start)
	if err := s.registerGateways(ctx, fleetCfg.Plan); err != nil {
		return err
	}
	sim, err := simulator.New(fleetCfg)
	if err != nil {
		return err
	}
	cfg, err := s.remote.Config(tel)
	if err != nil {
		return err
	}
	fwd, err := forward.New(cfg)
	if err != nil {
		return err
	}
	tel.Logger.Info("simulating", "version", buildinfo.Version(), "endpoint", s.remote.Endpoint, "devices", len(sim.Devices()),
		"gateways", s.gateways, "gateway_prefix", s.gatewayPrefix, "seed", s.seed, "speed", s.speed, "for", s.duration)

	feeder := &source.Feeder{Sink: fwd, BatchSize: s.batchSize, Logger: tel.Logger}
	simDone := make(chan error, 1)
	go func() {
		err := source.Simulate{Sim: sim, Speed: s.speed, Duration: s.duration}.Run(ctx, feeder)
		fwd.Close()
		simDone <- err
	}()
	fwdErr := fwd.Run(ctx)
	simErr := <-simDone
	if errors.Is(simErr, context.Canceled) && ctx.Err() != nil {
		simErr = nil // stopped by a signal, as asked
	}
	st := fwd.Stats()
	tel.Logger.Info("simulation finished", "virtual_time", sim.Now().Sub(start).String(), "sent", feeder.Sent(), "skipped", feeder.Skipped(),
		"acknowledged", st.Acknowledged, "duplicate_batches", st.DuplicateBatches, "rejected", st.Rejected,
		"failed_rounds", st.FailedRounds, "unsent", st.Buffered)
	return errors.Join(simErr, fwdErr)
}

// fleet is the office fleet scaled to the asked size, on a floor with the
// asked number of gateways.
func fleet(s settings, start time.Time) simulator.Config {
	cfg := simulator.Office(uint64(s.seed), start)
	cfg.Plan = floor(s.gateways, s.gatewayPrefix)
	// Rooms have walls: a steeper fall-off than the open office's keeps a
	// device within earshot of its own room's gateway and its neighbours',
	// not of the whole floor.
	cfg.PathLossExponent = 3.5
	return source.ScaleFleet(cfg, s.devices)
}

// Room size of the generated floor, in metres.
const roomW, roomH = 20.0, 15.0

// floor lays n rooms out in a near-square grid, a gateway in the middle of
// each, named <prefix>gw-001 and so on.
func floor(n int, prefix string) floorplan.Plan {
	cols := int(math.Ceil(math.Sqrt(float64(n))))
	var p floorplan.Plan
	for i := range n {
		x, y := float64(i%cols)*roomW, float64(i/cols)*roomH
		p.Zones = append(p.Zones, floorplan.Zone{
			ID:   fmt.Sprintf("room-%03d", i+1),
			Area: floorplan.Rect{Min: floorplan.Point{X: x, Y: y}, Max: floorplan.Point{X: x + roomW, Y: y + roomH}},
		})
		p.Gateways = append(p.Gateways, floorplan.Gateway{
			ID:       fmt.Sprintf("%sgw-%03d", prefix, i+1),
			Pos:      floorplan.Point{X: x + roomW/2, Y: y + roomH/2},
			RSSIAt1m: -45,
		})
	}
	return p
}

// origin is the generated floor's (0, 0) on the map: Frankfurt am Main, near
// the primary cluster's region.
var origin = floorplan.LatLon{Lat: 50.1109, Lon: 8.6821}

// registerGateways tells the registry where the simulated gateways stand,
// when --registry-endpoint asks for it.
func (s settings) registerGateways(ctx context.Context, plan floorplan.Plan) error {
	if s.registry == "" {
		return nil
	}
	site := floorplan.Site{Tenant: s.tenant, Site: s.site, Building: strings.TrimRight(s.gatewayPrefix, "-._:"), Floor: "1", Origin: origin}
	client := registryv1connect.NewRegistryServiceClient(http.DefaultClient, s.registry)
	if err := site.Register(ctx, client, plan); err != nil {
		return fmt.Errorf("registering the simulated gateways at %s: %w", s.registry, err)
	}
	return nil
}
