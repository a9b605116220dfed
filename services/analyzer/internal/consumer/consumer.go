// Package consumer feeds the analyzer's engine from Kafka. It does not use
// group-committed offsets: the engine stores the offsets it has applied in
// the same batch as its projections, so the consumer assigns every input
// partition directly and seeks to those stored offsets. Alerts are published
// before the engine commits, so a crash can repeat an alert (its id is
// stable, consumers drop the repeat) but never lose one or count a reading
// twice.
package consumer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/pipelinemetrics"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/analyzer/internal/analyze"
	"github.com/bluestream/bluestream/services/analyzer/internal/store"
)

// Source is the ce_source of the events the analyzer publishes.
const Source = "//bluestream/analyzer"

// Config says what to read and write and how often to tick.
type Config struct {
	// InputTopic carries ReadingEnriched and SubjectErased. Default
	// azure.ble.enriched.v1, the mirrored enriched topic.
	InputTopic string
	// AlertsTopic receives AlertRaised and AlertResolved. Default
	// analyzer.alerts.v1.
	AlertsTopic string
	// MaxPollRecords bounds one apply-publish-commit round. Default 1000.
	MaxPollRecords int
	// IdleAfter is how long a poll may wait for records; one that returns
	// none means every partition is caught up, and the engine ticks.
	// Default 1s.
	IdleAfter time.Duration
	// Lateness is subtracted from the wall clock when ticking; keep it the
	// engine's lateness so ticks and records agree. Default 10s.
	Lateness time.Duration
	// Now is the wall clock used for ticks, dead-letter stamps and the age
	// of committed readings. Default time.Now.
	Now func() time.Time
}

func (c Config) withDefaults() Config {
	if c.InputTopic == "" {
		c.InputTopic = topic.Remote("azure", topic.Enriched)
	}
	if c.AlertsTopic == "" {
		c.AlertsTopic = topic.Alerts
	}
	if c.MaxPollRecords == 0 {
		c.MaxPollRecords = 1000
	}
	if c.IdleAfter == 0 {
		c.IdleAfter = time.Second
	}
	if c.Lateness == 0 {
		c.Lateness = 10 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Validate names the first setting that cannot work.
func (c Config) Validate() error {
	switch {
	case c.InputTopic == c.AlertsTopic:
		return fmt.Errorf("consumer.alerts_topic: must differ from the input topic %q", c.InputTopic)
	case c.MaxPollRecords < 1:
		return fmt.Errorf("consumer.max_poll_records: must be at least 1, got %d", c.MaxPollRecords)
	case c.IdleAfter < 0:
		return fmt.Errorf("consumer.idle_after: must not be negative, got %s", c.IdleAfter)
	case c.Lateness < 0:
		return fmt.Errorf("consumer.lateness: must not be negative, got %s", c.Lateness)
	}
	return nil
}

// Consumer runs the apply-publish-commit loop for one engine.
type Consumer struct {
	cfg    Config
	engine *analyze.Engine
	client *eventbus.Client
	log    *slog.Logger
	// batch notes the round's records in, dead letters and applied
	// readings; it records them once the engine committed the round, so a
	// round lost to a crash is counted when it is applied again.
	batch *pipelinemetrics.Batch

	// crashBeforeCommit, when set, runs after a round was applied and
	// published; an error from it ends Run at once without committing, as
	// a killed process would. Tests use it to kill the analyzer mid-stream.
	crashBeforeCommit func() error
}

// New connects to the cluster and assigns every partition of the input
// topic, each at the engine's stored offset or, for a partition the engine
// has never read, at the start of the log.
func New(ctx context.Context, cfg Config, kafka eventbus.Config, tel *telemetry.Telemetry, e *analyze.Engine) (*Consumer, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	metrics, err := pipelinemetrics.New(tel.MeterProvider)
	if err != nil {
		return nil, err
	}
	assign, err := assignment(ctx, kafka, tel, cfg.InputTopic, e)
	if err != nil {
		return nil, err
	}
	cl, err := eventbus.NewClient(kafka, tel, Source, "", kgo.ConsumePartitions(assign), kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		// Transaction markers take offsets too; seeing them lets the engine's
		// offsets reach the last stable offset, which is how caughtUp knows.
		kgo.KeepControlRecords())
	if err != nil {
		return nil, err
	}
	return &Consumer{cfg: cfg, engine: e, client: cl, log: tel.Logger, batch: metrics.NewBatch()}, nil
}

// assignment lists the input topic's partitions and pairs each with the
// offset to resume at.
func assignment(ctx context.Context, kafka eventbus.Config, tel *telemetry.Telemetry, input string, e *analyze.Engine) (map[string]map[int32]kgo.Offset, error) {
	meta, err := eventbus.NewClient(kafka, tel, Source, "")
	if err != nil {
		return nil, err
	}
	defer meta.Close()
	topics, err := kadm.NewClient(meta.Client).ListTopics(ctx, input)
	if err != nil {
		return nil, fmt.Errorf("listing partitions of %s: %w", input, err)
	}
	td, ok := topics[input]
	if !ok || td.Err != nil {
		return nil, fmt.Errorf("input topic %s: %w", input, errors.Join(td.Err, errors.New("not found")))
	}
	stored := e.Offsets()
	parts := make(map[int32]kgo.Offset, len(td.Partitions))
	var expected []store.Partition
	for p := range td.Partitions {
		expected = append(expected, store.Partition{Topic: input, Partition: p})
		parts[p] = kgo.NewOffset().AtStart()
		for sp, next := range stored {
			if sp.Topic == input && sp.Partition == p {
				parts[p] = kgo.NewOffset().At(next)
			}
		}
	}
	e.ExpectPartitions(expected)
	return map[string]map[int32]kgo.Offset{input: parts}, nil
}

// Close leaves the cluster.
func (c *Consumer) Close() { c.client.Close() }
