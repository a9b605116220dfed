package stack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/gen/bluestream/registry/v1/registryv1connect"
	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/stack/banner"
	"github.com/bluestream/bluestream/stack/build"
	"github.com/bluestream/bluestream/stack/h2c"
	"github.com/bluestream/bluestream/stack/health"
	"github.com/bluestream/bluestream/stack/registration"
	"github.com/bluestream/bluestream/stack/supervise"
)

// Config is one stack. The zero value of each field takes the default its
// comment states.
type Config struct {
	Clusters ClusterConfig
	// Mode is ModeProcess (the default) or ModeInProcess.
	Mode string
	// Root is the checkout holding go.work; default: found from the working
	// directory. Process mode only, as are Binaries and Env.
	Root string
	// Binaries maps a service name to a binary built beforehand; services not in
	// it are built into a temporary directory.
	Binaries map[string]string
	// Implementations replaces the app.Service of the named services in
	// inprocess mode, e.g. with one a test instruments; the others run their own.
	Implementations map[string]app.Service
	// BasePort is ble-ingest's port, the others follow it; 0 picks free ports.
	BasePort int
	// Simulate runs ble-ingest's simulated fleet of Fleet devices from Seed at
	// Speed virtual seconds per real second.
	Simulate    bool
	Fleet, Seed int
	Speed       float64
	// Log receives the services' output lines; default: discarded.
	Log io.Writer
	// LogLevel of the services, "debug" or "info" (the default): the stack
	// learns where each serves from its info-level "serving" line.
	LogLevel string
	// Env is added to every child process's environment, e.g. OTEL_* variables.
	Env []string
	// Grace is how long a service may take to stop; default 20s.
	Grace time.Duration
}

// Stack is a running stack: embedded clusters, and each service a child process
// or, in inprocess mode, goroutines of this one.
type Stack struct {
	Clusters *Clusters
	// URLs maps each running service to its base URL.
	URLs map[string]string
	// Missing lists services whose binary does not exist in this checkout yet.
	Missing []string

	cfg       Config
	stateDir  string
	tmpDirs   []string
	bins      map[string]string
	group     *group
	enroller  *registration.Enroller
	stopEnrol context.CancelFunc
	enrolDone chan struct{}
}

// Start builds what is needed, starts the clusters and the services, registers
// the floor plan, and returns once every service answers its health check.
func Start(ctx context.Context, cfg Config) (_ *Stack, err error) {
	cfg = withDefaults(cfg)
	if err := cfg.check(); err != nil {
		return nil, err
	}
	s := &Stack{cfg: cfg, URLs: map[string]string{}, group: newGroup()}
	defer func() {
		if err != nil {
			err = errors.Join(err, s.Close())
		}
	}()
	if cfg.Mode == ModeProcess {
		if s.bins, err = s.binaries(ctx); err != nil {
			return nil, err
		}
	}
	if s.stateDir = cfg.Clusters.DataDir; s.stateDir == "" {
		if s.stateDir, err = s.tempDir("bluestream-state-"); err != nil {
			return nil, err
		}
	}
	if s.Clusters, err = StartClusters(cfg.Clusters); err != nil {
		return nil, err
	}
	hc := h2c.Client()
	for _, name := range Services {
		if slices.Contains(s.Missing, name) {
			continue
		}
		if name == "ble-ingest" {
			// The simulator starts sending at once: the registry must know
			// the gateways by then.
			if err := s.register(ctx, hc); err != nil {
				return nil, err
			}
		}
		if err := s.startService(ctx, hc, name); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func withDefaults(cfg Config) Config {
	if cfg.Fleet == 0 {
		cfg.Fleet = 40
	}
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if cfg.LogLevel == "" {
		cfg.LogLevel = "info"
	}
	if cfg.Grace == 0 {
		cfg.Grace = 20 * time.Second
	}
	if cfg.Mode == "" {
		cfg.Mode = ModeProcess
	}
	return cfg
}

func (cfg Config) check() error {
	switch {
	case cfg.LogLevel != "debug" && cfg.LogLevel != "info":
		return fmt.Errorf("log level %q: want debug or info, which show where each service serves", cfg.LogLevel)
	case !slices.Contains(Modes, cfg.Mode):
		return fmt.Errorf("mode %q: want %s", cfg.Mode, strings.Join(Modes, " or "))
	case cfg.Mode == ModeInProcess && len(cfg.Env) > 0:
		return errSharedEnv
	}
	for name := range cfg.Implementations {
		if builtIn[name] == nil {
			return fmt.Errorf("implementation for %q: no such service", name)
		}
	}
	return nil
}

func (s *Stack) tempDir(pattern string) (string, error) {
	dir, err := os.MkdirTemp("", pattern)
	if err == nil {
		s.tmpDirs = append(s.tmpDirs, dir)
	}
	return dir, err
}

// binaries returns a path per service to run, building those not given.
func (s *Stack) binaries(ctx context.Context) (map[string]string, error) {
	root := s.cfg.Root
	if root == "" {
		var err error
		if root, err = build.Root("."); err != nil {
			return nil, err
		}
	}
	present := build.Present(root, Services)
	bins := map[string]string{}
	var todo []string
	for _, name := range Services {
		switch {
		case s.cfg.Binaries[name] != "":
			bins[name] = s.cfg.Binaries[name]
		case slices.Contains(present, name):
			todo = append(todo, name)
		default:
			s.Missing = append(s.Missing, name)
		}
	}
	if len(todo) > 0 {
		dir, err := s.tempDir("bluestream-bin-")
		if err != nil {
			return nil, err
		}
		built, err := build.Services(ctx, root, dir, todo)
		if err != nil {
			return nil, err
		}
		for n, p := range built {
			bins[n] = p
		}
	}
	return bins, nil
}

func (s *Stack) startService(ctx context.Context, hc *http.Client, name string) error {
	r, err := s.launch(name)
	if err != nil {
		return err
	}
	s.group.add(name, r)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	addr, err := r.Addr(ctx)
	if err != nil {
		return err
	}
	url := "http://" + addr
	if err := health.Wait(ctx, hc, url); err != nil {
		return fmt.Errorf("%s: %w\n%s", name, err, r.Tail())
	}
	s.URLs[name] = url
	return nil
}

func (s *Stack) launch(name string) (runner, error) {
	if s.cfg.Mode == ModeInProcess {
		return s.runInProcess(name)
	}
	p, err := supervise.Start(supervise.Spec{Name: name, Path: s.bins[name], Args: s.args(name), Env: s.cfg.Env, Log: s.cfg.Log})
	if err != nil {
		return nil, err
	}
	return child{p}, nil
}

// register puts the office's gateways and agreement into the registry and, when
// the simulator runs, starts enrolling devices as their readings appear. Without
// it the callers bring their own devices (tests, benchmarks) and enrol them as
// they see fit: enrolling every address a benchmark invents would measure the
// registry, not the pipeline.
func (s *Stack) register(ctx context.Context, hc *http.Client) error {
	url, ok := s.URLs["enricher"]
	if !ok {
		return nil
	}
	r := registration.Registrar{Client: registryv1connect.NewRegistryServiceClient(hc, url)}
	if err := r.Gateways(ctx, registration.Office); err != nil {
		return err
	}
	if err := r.Agreement(ctx, time.Now().Add(-24*time.Hour)); err != nil {
		return err
	}
	if !s.cfg.Simulate {
		return nil
	}
	client, err := kgo.NewClient(kgo.SeedBrokers(s.Clusters.Primary.ListenAddrs()...), kgo.ClientID("stack-enroller"),
		kgo.ConsumeTopics(topic.Readings), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		return fmt.Errorf("enrolling devices: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(orDiscard(s.cfg.Log), nil)).With("component", "enroller")
	s.enroller = &registration.Enroller{Registrar: r, Logger: logger}
	enrolCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.stopEnrol, s.enrolDone = cancel, make(chan struct{})
	go func() {
		defer close(s.enrolDone)
		defer client.Close()
		_ = s.enroller.Run(enrolCtx, client)
	}()
	return nil
}

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}

// Enrolled reports how many devices the stack registered on sight.
func (s *Stack) Enrolled() int {
	if s.enroller == nil {
		return 0
	}
	return s.enroller.Enrolled()
}

// Exited delivers services as they stop, in either mode; before Close, any
// stop is a failure.
func (s *Stack) Exited() <-chan Exit { return s.group.exits }

// Banner describes the running stack.
func (s *Stack) Banner() banner.Info {
	info := banner.Info{Mode: s.cfg.Mode, Missing: s.Missing}
	info.Clusters = []banner.Cluster{
		{Alias: s.Clusters.Primary.Name, Role: "(primary)", Brokers: s.Clusters.Primary.ListenAddrs()},
		{Alias: s.Clusters.Mirror.Name, Role: "(mirror)", Brokers: s.Clusters.Mirror.ListenAddrs()},
	}
	for _, name := range Services {
		if url, ok := s.URLs[name]; ok {
			info.Services = append(info.Services, banner.Service{Name: name, URL: url})
		}
	}
	if url, ok := s.URLs["analyzer"]; ok {
		info.Dashboard = url + "/"
	}
	return info
}

// Close stops the services (newest first, each given the grace period: SIGTERM
// to a child, a cancelled context in process), then the enroller, then the
// clusters, and removes temporary files.
func (s *Stack) Close() error {
	err := s.group.stop(s.cfg.Grace)
	if s.stopEnrol != nil {
		s.stopEnrol()
		<-s.enrolDone
	}
	if s.Clusters != nil {
		s.Clusters.Close()
	}
	for _, d := range s.tmpDirs {
		err = errors.Join(err, os.RemoveAll(d))
	}
	return err
}
