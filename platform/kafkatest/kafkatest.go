// Package kafkatest starts embedded Kafka clusters (franz-go's kfake) on
// loopback: real Kafka protocol, in process, for tests and for `make run`.
package kafkatest

import (
	"fmt"
	"testing"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/topic"
)

// Cluster is a running embedded cluster.
type Cluster struct {
	*kfake.Cluster
	// Name is the cluster's alias, e.g. "azure" or "aws".
	Name string
}

// PrimaryTopics are the topics of the primary cluster with their dead-letter
// queues.
func PrimaryTopics() []string {
	return withDLQ(topic.Advertisements, topic.Readings, topic.Enriched, topic.RegistryEvents)
}

// MirrorTopics are the topics the mirror cluster holds besides the mirrored ones.
func MirrorTopics(sourceAlias string) []string {
	return withDLQ(topic.Remote(sourceAlias, topic.Enriched), topic.Alerts, topic.MirrorHealth)
}

func withDLQ(ts ...string) []string {
	out := append([]string{}, ts...)
	for _, t := range ts {
		out = append(out, topic.DLQ(t))
	}
	return out
}

// Start starts a named cluster. Default: one broker on a random loopback port,
// no topics; pass kfake options for topics, ports or a data directory.
func Start(name string, opts ...kfake.Opt) (*Cluster, error) {
	c, err := kfake.NewCluster(append([]kfake.Opt{kfake.NumBrokers(1)}, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("starting embedded cluster %s: %w", name, err)
	}
	return &Cluster{Cluster: c, Name: name}, nil
}

// New starts a cluster for a test and closes it when the test ends.
func New(t testing.TB, name string, opts ...kfake.Opt) *Cluster {
	t.Helper()
	c, err := Start(name, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// Config is an eventbus configuration that reaches the cluster.
func (c *Cluster) Config() eventbus.Config {
	return eventbus.Config{Brokers: c.ListenAddrs(), ClientID: "bluestream-" + c.Name}
}
