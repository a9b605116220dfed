package batchtest

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/bluestream/bluestream/platform/serverless/serverlesstest"
	"github.com/bluestream/bluestream/platform/topic"
)

// Cluster starts an embedded Kafka cluster with the analyzer's input topic
// (one partition), its dead-letter topic and the alerts topic.
func Cluster(t testing.TB) (*kfake.Cluster, string) {
	t.Helper()
	return serverlesstest.Cluster(t, Input, topic.DLQ(Input), topic.Alerts)
}
