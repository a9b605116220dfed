package mirror

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

// newCluster starts an embedded single-broker cluster seeded with topics.
func newCluster(t *testing.T, partitions int32, topics ...string) *kfake.Cluster {
	t.Helper()
	opts := []kfake.Opt{kfake.NumBrokers(1)}
	if len(topics) > 0 {
		opts = append(opts, kfake.SeedTopics(partitions, topics...))
	}
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func newClient(t *testing.T, c *kfake.Cluster, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(c.ListenAddrs()...)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

// produceNumbered writes n records to every partition of topic, each
// numbered within its partition, with a key, a header and a timestamp that
// the mirror must keep.
func produceNumbered(t *testing.T, c *kfake.Cluster, topic string, partitions int32, from, n int) {
	t.Helper()
	cl := newClient(t, c, kgo.RecordPartitioner(kgo.ManualPartitioner()))
	var recs []*kgo.Record
	for i := from; i < from+n; i++ {
		for p := range partitions {
			recs = append(recs, &kgo.Record{
				Topic: topic, Partition: p,
				Key:       fmt.Appendf(nil, "device-%d", p),
				Value:     fmt.Appendf(nil, "%d/%d", p, i),
				Headers:   []kgo.RecordHeader{{Key: "ce_id", Value: fmt.Appendf(nil, "id-%d-%d", p, i)}},
				Timestamp: time.UnixMilli(1_700_000_000_000 + int64(i)),
			})
		}
	}
	if err := cl.ProduceSync(t.Context(), recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

// consumeCommitted reads want records from topic with read_committed,
// polling until a deadline: Kafka delivery is asynchronous, so the test
// waits for a condition rather than for a fixed time.
func consumeCommitted(t *testing.T, c *kfake.Cluster, topic string, want int) []*kgo.Record {
	t.Helper()
	cl := newClient(t, c, kgo.ConsumeTopics(topic), kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var got []*kgo.Record
	for len(got) < want {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("read %d of %d records from %s before the deadline", len(got), want, topic)
		}
		fetches.EachRecord(func(r *kgo.Record) { got = append(got, r) })
	}
	return got
}
