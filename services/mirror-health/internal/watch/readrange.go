package watch

import (
	"context"
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"
)

// span is a half-open offset range [from, to) of one partition.
type span struct{ from, to int64 }

// readSpans reads committed data records of one topic's partitions within
// their spans. firstOnly stops a partition at its first data record. Control
// records are fetched (and dropped) so a span that ends on a transaction
// marker is known to be finished.
func readSpans(ctx context.Context, seeds []string, opts []kgo.Opt, topic string, spans map[int32]span, firstOnly bool) (map[int32][]*kgo.Record, error) {
	start := map[int32]kgo.Offset{}
	for p, s := range spans {
		if s.from < s.to {
			start[p] = kgo.NewOffset().At(s.from)
		}
	}
	out := map[int32][]*kgo.Record{}
	if len(start) == 0 {
		return out, nil
	}
	cl, err := kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(seeds...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: start}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.KeepControlRecords(),
	}, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("creating reader for %s: %w", topic, err)
	}
	defer cl.Close()
	for len(start) > 0 {
		fetches := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("reading %s: %w", topic, err)
		}
		if err := fetches.Err(); err != nil {
			return nil, fmt.Errorf("reading %s: %w", topic, err)
		}
		fetches.EachRecord(func(r *kgo.Record) {
			if _, open := start[r.Partition]; !open || r.Offset >= spans[r.Partition].to {
				return
			}
			if !r.Attrs.IsControl() {
				out[r.Partition] = append(out[r.Partition], r)
			}
			if r.Offset >= spans[r.Partition].to-1 || (firstOnly && !r.Attrs.IsControl()) {
				delete(start, r.Partition)
			}
		})
	}
	return out, nil
}
