package stack

import (
	"fmt"
	"path/filepath"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/bluestream/bluestream/platform/kafkatest"
)

// Aliases of the two clusters, as MirrorMaker 2 names them.
const (
	PrimaryAlias = "azure"
	MirrorAlias  = "aws"
)

// ClusterConfig places the two embedded clusters.
type ClusterConfig struct {
	// DataDir keeps each cluster's log under DataDir/<alias>, so it survives a
	// restart; empty keeps everything in memory.
	DataDir string
	// Ports for the primary and the mirror; 0 picks a free one.
	PrimaryPort, MirrorPort int
	Partitions              int32
}

// Clusters are the primary ("azure") and mirror ("aws") embedded clusters.
type Clusters struct {
	Primary, Mirror *kafkatest.Cluster
}

// StartClusters starts both clusters with bluestream's topics.
func StartClusters(cfg ClusterConfig) (*Clusters, error) {
	if cfg.Partitions <= 0 {
		cfg.Partitions = 3
	}
	primary, err := kafkatest.Start(PrimaryAlias, clusterOpts(cfg, PrimaryAlias, cfg.PrimaryPort, kafkatest.PrimaryTopics())...)
	if err != nil {
		return nil, err
	}
	mirror, err := kafkatest.Start(MirrorAlias, clusterOpts(cfg, MirrorAlias, cfg.MirrorPort, kafkatest.MirrorTopics(PrimaryAlias))...)
	if err != nil {
		primary.Close()
		return nil, err
	}
	return &Clusters{Primary: primary, Mirror: mirror}, nil
}

func clusterOpts(cfg ClusterConfig, alias string, port int, topics []string) []kfake.Opt {
	opts := []kfake.Opt{kfake.SeedTopics(cfg.Partitions, topics...), kfake.ClusterID("bluestream-" + alias)}
	if port != 0 {
		opts = append(opts, kfake.Ports(port))
	}
	if cfg.DataDir != "" {
		opts = append(opts, kfake.DataDir(filepath.Join(cfg.DataDir, alias)))
	}
	return opts
}

// Close stops both clusters, flushing their logs to the data directory.
func (c *Clusters) Close() {
	c.Mirror.Close()
	c.Primary.Close()
}

// Describe says where each cluster listens.
func (c *Clusters) Describe() string {
	return fmt.Sprintf("kafka %s (primary): %v\nkafka %s (mirror):  %v", c.Primary.Name, c.Primary.ListenAddrs(), c.Mirror.Name, c.Mirror.ListenAddrs())
}
