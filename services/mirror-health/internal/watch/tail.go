package watch

import (
	"context"
	"fmt"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// tail reads a topic's committed records incrementally, from where the last
// read stopped up to the current last stable offset.
type tail struct {
	adm   *kadm.Client
	seeds []string
	opts  []kgo.Opt
	topic string
	next  map[int32]int64
}

func newTail(adm *kadm.Client, seeds []string, opts []kgo.Opt, topic string) *tail {
	return &tail{adm: adm, seeds: seeds, opts: opts, topic: topic, next: map[int32]int64{}}
}

// read returns the records committed since the previous read. A topic that
// does not exist yet simply has nothing new.
func (t *tail) read(ctx context.Context) ([]*kgo.Record, error) {
	ends, err := t.adm.ListCommittedOffsets(ctx, t.topic)
	if err != nil {
		return nil, fmt.Errorf("listing stable offsets of %s: %w", t.topic, err)
	}
	spans := map[int32]span{}
	ends.Each(func(o kadm.ListedOffset) {
		if o.Err == nil {
			spans[o.Partition] = span{from: t.next[o.Partition], to: o.Offset}
		}
	})
	got, err := readSpans(ctx, t.seeds, t.opts, t.topic, spans, false)
	if err != nil {
		return nil, err
	}
	var out []*kgo.Record
	for p, s := range spans {
		t.next[p] = max(t.next[p], s.to)
		out = append(out, got[p]...)
	}
	return out, nil
}
