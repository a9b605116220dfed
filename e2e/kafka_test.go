package e2e_test

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"google.golang.org/protobuf/proto"

	"github.com/bluestream/bluestream/platform/eventbus"
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
