package stack_test

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/stack"
)

// TestClustersKeepTheirLogAcrossRestart is what `make run` relies on: stop it,
// start it again, and the events are still there.
func TestClustersKeepTheirLogAcrossRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first, err := stack.StartClusters(stack.ClusterConfig{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(first.Primary.ListenAddrs()...))
	if err != nil {
		t.Fatal(err)
	}
	rec := &kgo.Record{Topic: topic.Advertisements, Key: []byte("dev-1"), Value: []byte("kept")}
	if err := cl.ProduceSync(t.Context(), rec).FirstErr(); err != nil {
		t.Fatal(err)
	}
	cl.Close()
	first.Close()

	second, err := stack.StartClusters(stack.ClusterConfig{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(second.Close)
	cl, err = kgo.NewClient(kgo.SeedBrokers(second.Primary.ListenAddrs()...), kgo.ConsumeTopics(topic.Advertisements),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
	defer cancel()
	fs := cl.PollFetches(ctx)
	if ctx.Err() != nil {
		t.Fatal("no record after restart")
	}
	got := fs.Records()
	if len(got) != 1 || string(got[0].Value) != "kept" || got[0].Offset != rec.Offset {
		t.Fatalf("after restart got %d records, want the one produced before", len(got))
	}
}

func TestMirrorClusterHasTheMirroredTopic(t *testing.T) {
	t.Parallel()
	c, err := stack.StartClusters(stack.ClusterConfig{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.Mirror.ListenAddrs()...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	rec := &kgo.Record{Topic: topic.Remote(stack.PrimaryAlias, topic.Enriched), Value: []byte("x")}
	if err := cl.ProduceSync(t.Context(), rec).FirstErr(); err != nil {
		t.Fatalf("producing to %s on the mirror: %v", rec.Topic, err)
	}
}
