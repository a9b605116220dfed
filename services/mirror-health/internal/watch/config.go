package watch

import (
	"errors"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// OffsetSyncsLocation says which cluster holds the offset-syncs topic.
type OffsetSyncsLocation string

// Locations, as in MirrorMaker 2's offset-syncs.topic.location.
const (
	// OnSource is MirrorMaker 2's default.
	OnSource OffsetSyncsLocation = "source"
	// OnTarget is where the built-in mirror keeps them.
	OnTarget OffsetSyncsLocation = "target"
)

// Config describes the flow to watch.
type Config struct {
	SourceAlias   string
	TargetAlias   string
	SourceBrokers []string
	TargetBrokers []string
	// Topics are the mirrored source topics to measure.
	Topics []string
	// OffsetSyncs says where the offset-syncs topic lives. Default OnSource.
	OffsetSyncs OffsetSyncsLocation
	// Now is the clock for observations. Default time.Now.
	Now        func() time.Time
	SourceOpts []kgo.Opt
	TargetOpts []kgo.Opt
}

// Validate names the first field that is missing or wrong.
func (c Config) Validate() error {
	switch {
	case c.SourceAlias == "" || c.TargetAlias == "":
		return errors.New("watch.source_alias, watch.target_alias: must not be empty")
	case len(c.SourceBrokers) == 0 || len(c.TargetBrokers) == 0:
		return errors.New("watch.source_brokers, watch.target_brokers: need at least one broker each")
	case len(c.Topics) == 0:
		return errors.New("watch.topics: need at least one mirrored topic")
	case c.OffsetSyncs != "" && c.OffsetSyncs != OnSource && c.OffsetSyncs != OnTarget:
		return errors.New(`watch.offset_syncs: must be "source" or "target"`)
	}
	return nil
}

func (c *Config) applyDefaults() {
	if c.OffsetSyncs == "" {
		c.OffsetSyncs = OnSource
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}
