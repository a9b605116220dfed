// Package service is mirror-health as an app.Service: replication watcher,
// optional built-in mirror and MirrorHealthService. Its binary runs it alone;
// the stack can run it beside the other services in one process.
package service

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/bluestream/bluestream/gen/bluestream/mirror/v1/mirrorv1connect"
	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/platform/config"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/pipelinemetrics"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/mirror-health/internal/metrics"
	"github.com/bluestream/bluestream/services/mirror-health/internal/mirror"
	"github.com/bluestream/bluestream/services/mirror-health/internal/monitor"
	"github.com/bluestream/bluestream/services/mirror-health/internal/server"
	"github.com/bluestream/bluestream/services/mirror-health/internal/status"
	"github.com/bluestream/bluestream/services/mirror-health/internal/watch"
)

// New returns the service, its settings still to be parsed by app.Run.
func New() app.Service { return &service{} }

// service holds the settings; Start wires the pieces.
type service struct {
	source, target           eventbus.Config
	sourceAlias, targetAlias string
	topics, allow, sensitive []string
	interval                 time.Duration
	offsetSyncs              string
	runMirror, publish       bool
	eval                     status.Config
}

func (s *service) Flags(l *config.Loader) {
	s.source.Prefix, s.target.Prefix = "source-", "target-"
	s.source.Register(l, "127.0.0.1:9092")
	s.target.Register(l, "127.0.0.1:9093")
	l.String(&s.sourceAlias, "source-alias", "azure", "source (primary) cluster alias; prefixes remote topics")
	l.String(&s.targetAlias, "target-alias", "aws", "target (mirror) cluster alias")
	l.List(&s.topics, "topics", []string{topic.Enriched}, "mirrored source topics to watch (and, with --mirror, to copy)")
	l.List(&s.allow, "allow-list", []string{`ble\.enriched\.v1`}, "regular expressions of source topics allowed on the target, as MirrorMaker 2's topics setting")
	l.List(&s.sensitive, "sensitive-topics", []string{topic.Advertisements, topic.Readings, topic.RegistryEvents}, "source topics that must never appear on the target under any name")
	l.Duration(&s.interval, "interval", 10*time.Second, "how often both clusters are observed and the status evaluated")
	l.String(&s.offsetSyncs, "offset-syncs", "", `cluster holding the offset-syncs topic: "source" (MirrorMaker 2's default) or "target" (the built-in mirror); default target with --mirror, else source`)
	l.Bool(&s.runMirror, "mirror", false, "also run the built-in mirror (make run, edge sites) instead of relying on MirrorMaker 2")
	l.Bool(&s.publish, "publish-status", true, "publish each evaluation to "+topic.MirrorHealth+" on the target cluster")
	def := status.DefaultConfig()
	l.Int(&s.eval.WindowSize, "window-size", def.WindowSize, "observations per partition window (Burrow's intervals)")
	l.Duration(&s.eval.HeartbeatTimeout, "heartbeat-timeout", def.HeartbeatTimeout, "heartbeat age after which the mirror counts as stopped")
	l.Duration(&s.eval.MaxLag, "max-lag", def.MaxLag, "lag in seconds above which a partition is WARN; 0 turns it off")
	l.Duration(&s.eval.CheckpointTimeout, "checkpoint-timeout", def.CheckpointTimeout, "checkpoint age after which a lagging group's checkpoint is stale")
}

func (s *service) Validate() error {
	var errs []error
	errs = append(errs, s.source.Validate(), s.target.Validate())
	switch {
	case s.sourceAlias == "":
		errs = append(errs, config.Invalid("source-alias", "must not be empty"))
	case s.sourceAlias == s.targetAlias:
		errs = append(errs, config.Invalid("target-alias", "%q is also the source alias", s.targetAlias))
	case strings.Contains(s.sourceAlias, "."):
		errs = append(errs, config.Invalid("source-alias", "%q contains the remote-topic separator \".\"", s.sourceAlias))
	}
	if s.targetAlias == "" {
		errs = append(errs, config.Invalid("target-alias", "must not be empty"))
	}
	if len(s.topics) == 0 {
		errs = append(errs, config.Invalid("topics", "need at least one topic"))
	}
	for i, p := range s.allow {
		if _, err := regexp.Compile(p); err != nil {
			errs = append(errs, config.Invalid("allow-list", "entry %d %q: %v", i, p, err))
		}
	}
	if allow, err := status.NewAllowList(s.allow...); err == nil {
		for _, t := range s.topics {
			if !allow.Allows(t) {
				errs = append(errs, config.Invalid("topics", "%q is not on --allow-list: mirroring it would raise a compliance violation", t))
			}
		}
	}
	if s.interval <= 0 {
		errs = append(errs, config.Invalid("interval", "must be positive, got %s", s.interval))
	}
	switch s.offsetSyncs {
	case "", string(watch.OnSource), string(watch.OnTarget):
	default:
		errs = append(errs, config.Invalid("offset-syncs", `want "source" or "target", got %q`, s.offsetSyncs))
	}
	if s.runMirror && s.offsetSyncs == string(watch.OnSource) {
		errs = append(errs, config.Invalid("offset-syncs", "the built-in mirror (--mirror) keeps offset-syncs on the target"))
	}
	if err := s.eval.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (s *service) Start(ctx context.Context, env *app.Env) error {
	srcOpts, err := s.source.Opts()
	if err != nil {
		return err
	}
	tgtOpts, err := s.target.Opts()
	if err != nil {
		return err
	}
	flow := server.Flow{SourceAlias: s.sourceAlias, TargetAlias: s.targetAlias}
	if s.runMirror {
		// Tracing hooks on both sides: each copy continues its record's trace.
		hooks, _ := eventbus.Instrumentation(env.Telemetry, "")
		metrics, err := pipelinemetrics.New(env.Telemetry.MeterProvider)
		if err != nil {
			return err
		}
		m, err := mirror.New(mirror.Config{SourceAlias: s.sourceAlias, TargetAlias: s.targetAlias,
			SourceBrokers: s.source.Brokers, TargetBrokers: s.target.Brokers, Topics: s.topics,
			SourceOpts: append(slices.Clip(srcOpts), hooks), TargetOpts: append(slices.Clip(tgtOpts), hooks),
			Metrics: metrics})
		if err != nil {
			return err
		}
		env.Go("built-in mirror", m.Run)
	}
	allow, err := status.NewAllowList(s.allow...)
	if err != nil {
		return err
	}
	eval, err := status.NewEvaluator(s.eval, status.Guard{SourceAlias: s.sourceAlias, Allow: allow, Sensitive: s.sensitive})
	if err != nil {
		return err
	}
	col, err := watch.New(watch.Config{SourceAlias: s.sourceAlias, TargetAlias: s.targetAlias,
		SourceBrokers: s.source.Brokers, TargetBrokers: s.target.Brokers, Topics: s.topics,
		OffsetSyncs: s.syncsLocation(), SourceOpts: srcOpts, TargetOpts: tgtOpts}, eval)
	if err != nil {
		return err
	}
	rec, err := metrics.New(env.Telemetry.Meter("mirror-health"), s.sourceAlias, s.targetAlias)
	if err != nil {
		col.Close()
		return err
	}
	mon := &monitor.Monitor{Flow: flow, Collector: col, Hub: server.NewHub(), Metrics: rec, Interval: s.interval, Logger: env.Logger}
	if s.publish {
		if mon.Events, err = eventbus.NewClient(s.target, env.Telemetry, "//bluestream/mirror-health", ""); err != nil {
			col.Close()
			return fmt.Errorf("connecting to the target cluster: %w", err)
		}
	}
	impl := server.New(flow, s.topics, mon.Hub)
	env.Server.Register(mirrorv1connect.MirrorHealthServiceName)(mirrorv1connect.NewMirrorHealthServiceHandler(impl, env.Server.HandlerOptions()...))
	env.Go("monitor", func(ctx context.Context) error {
		defer col.Close()
		if mon.Events != nil {
			defer mon.Events.Close()
		}
		return mon.Run(ctx)
	})
	env.Logger.Info("watching replication", "source", s.source.Redacted(), "target", s.target.Redacted(), "topics", s.topics, "mirror", s.runMirror)
	return nil
}

func (s *service) syncsLocation() watch.OffsetSyncsLocation {
	if s.offsetSyncs != "" {
		return watch.OffsetSyncsLocation(s.offsetSyncs)
	}
	if s.runMirror {
		return watch.OnTarget
	}
	return watch.OnSource
}
