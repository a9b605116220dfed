package mirror

import (
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/pipelinemetrics"
)

// Config describes one replication flow, source to target.
type Config struct {
	// SourceAlias and TargetAlias name the clusters ("azure", "aws"); the
	// source alias prefixes remote topics.
	SourceAlias string
	TargetAlias string
	// SourceBrokers and TargetBrokers are seed brokers, host:port.
	SourceBrokers []string
	TargetBrokers []string
	// Topics are the source topics to mirror, by exact name: the allow-list.
	Topics []string
	// TransactionalID identifies the mirror's producer across restarts.
	// Default "bluestream-mirror.<source>.<target>". Two mirrors of the same
	// flow must share it so the newer fences the older.
	TransactionalID string
	// HeartbeatInterval is how often a heartbeat is written. Default 1s,
	// MirrorMaker 2's emit.heartbeats.interval.seconds.
	HeartbeatInterval time.Duration
	// CheckpointInterval is how often consumer-group checkpoints are
	// written. Default 60s, MirrorMaker 2's emit.checkpoints.interval.seconds.
	CheckpointInterval time.Duration
	// MaxBatchRecords caps the records copied in one transaction. Default 1000.
	MaxBatchRecords int
	// Now is the clock for heartbeat timestamps. Default time.Now.
	Now func() time.Time
	// SourceOpts and TargetOpts are extra client options (TLS, SASL,
	// tracing hooks) appended to the mirror's own.
	SourceOpts []kgo.Opt
	TargetOpts []kgo.Opt
	// Metrics counts the source records each committed transaction copied,
	// by source topic; nil counts nothing. The mirror copies bytes without
	// decoding them, and only some topics' ce_time is a receive time, so it
	// observes no end-to-end latency: the analyzer's covers the mirror's
	// share of it.
	Metrics *pipelinemetrics.Metrics
}

func (c *Config) applyDefaults() {
	if c.TransactionalID == "" {
		c.TransactionalID = "bluestream-mirror." + c.SourceAlias + "." + c.TargetAlias
	}
	if c.HeartbeatInterval == 0 {
		c.HeartbeatInterval = time.Second
	}
	if c.CheckpointInterval == 0 {
		c.CheckpointInterval = time.Minute
	}
	if c.MaxBatchRecords == 0 {
		c.MaxBatchRecords = 1000
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Validate names the first field that is missing or out of range.
func (c Config) Validate() error {
	switch {
	case c.SourceAlias == "":
		return errors.New("mirror.source_alias: must not be empty")
	case c.TargetAlias == "":
		return errors.New("mirror.target_alias: must not be empty")
	case c.SourceAlias == c.TargetAlias:
		return fmt.Errorf("mirror.target_alias: %q is also the source alias", c.TargetAlias)
	case len(c.SourceBrokers) == 0:
		return errors.New("mirror.source_brokers: need at least one broker")
	case len(c.TargetBrokers) == 0:
		return errors.New("mirror.target_brokers: need at least one broker")
	case len(c.Topics) == 0:
		return errors.New("mirror.topics: need at least one topic to mirror")
	case c.HeartbeatInterval < 0, c.CheckpointInterval < 0:
		return errors.New("mirror.heartbeat_interval, mirror.checkpoint_interval: must not be negative")
	case c.MaxBatchRecords < 0:
		return errors.New("mirror.max_batch_records: must not be negative")
	}
	return nil
}
