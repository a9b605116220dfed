package batchtest

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/bluestream/bluestream/platform/serverless/serverlesstest"
	"github.com/bluestream/bluestream/platform/topic"
)

// Cluster starts an embedded Kafka cluster with the readings topic and the
// advertisements' dead-letter topic.
func Cluster(t testing.TB) (*kfake.Cluster, string) {
	t.Helper()
	return serverlesstest.Cluster(t, topic.Readings, topic.DLQ(topic.Advertisements))
}
