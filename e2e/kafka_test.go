package e2e_test

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"google.golang.org/protobuf/proto"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/stack"
)

// waitFor is how long a record may take through every stage on a loaded
// two-core machine.
const waitFor = 90 * time.Second

// findRecord reads topic from the start until match accepts a record or
// waitFor passes, and returns that record.
func findRecord(t *testing.T, brokers []string, topic string, match func(*kgo.Record) bool) *kgo.Record {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(t.Context(), waitFor)
	defer cancel()
	for {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("no matching record on %s within %s", topic, waitFor)
		}
		var found *kgo.Record
		fetches.EachRecord(func(r *kgo.Record) {
			if found == nil && match(r) {
				found = r
			}
		})
		if found != nil {
			return found
		}
	}
}

// decoded matches records that decode as msg's type and satisfy ok, leaving the
// last match decoded in msg.
func decoded[M proto.Message](msg M, ok func(M) bool) func(*kgo.Record) bool {
	return func(r *kgo.Record) bool {
		fresh := msg.ProtoReflect().New().Interface().(M)
		if eventbus.Decode(r, fresh) != nil || !ok(fresh) {
			return false
		}
		proto.Reset(msg)
		proto.Merge(msg, fresh)
		return true
	}
}

// readMirroredEnriched hands every reading on the mirror's copy of the
// enriched topic, from the start, to visit until done says enough; past
// waitFor it fails with what status says was seen.
func readMirroredEnriched(t *testing.T, st *stack.Stack, visit func(*blev1.ReadingEnriched), done func() bool, status func() string) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(st.Clusters.Mirror.ListenAddrs()...),
		kgo.ConsumeTopics(topic.Remote(stack.PrimaryAlias, topic.Enriched)), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(t.Context(), waitFor)
	defer cancel()
	for !done() {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("within %s: %s", waitFor, status())
		}
		fetches.EachRecord(func(r *kgo.Record) {
			var e blev1.ReadingEnriched
			if eventbus.Decode(r, &e) == nil {
				visit(&e)
			}
		})
	}
}
