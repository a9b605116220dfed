package registrylog

import (
	"context"
	"fmt"
	"sync"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// position is how far a follower has read each partition, for waiters on
// other goroutines.
type position struct {
	mu      sync.Mutex
	next    map[int32]int64
	changed chan struct{} // closed and replaced on every advance
}

func (p *position) advance(partition int32, next int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.next == nil {
		p.next = map[int32]int64{}
	}
	p.next[partition] = next
	if p.changed != nil {
		close(p.changed)
		p.changed = nil
	}
}

func (p *position) reached(ends map[int32]int64) bool {
	ok, _ := p.check(ends)
	return ok
}

// check reports whether ends are reached and, if not, a channel closed on the
// next advance.
func (p *position) check(ends map[int32]int64) (bool, <-chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for partition, end := range ends {
		if p.next[partition] < end {
			if p.changed == nil {
				p.changed = make(chan struct{})
			}
			return false, p.changed
		}
	}
	return true, nil
}

func (p *position) wait(ctx context.Context, ends map[int32]int64) error {
	for {
		ok, changed := p.check(ends)
		if ok {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("waiting for the registry projection to catch up: %w", ctx.Err())
		}
	}
}

// CommittedEnds lists the last stable offset of each partition of topic that
// has any: everything committed before lies below it.
func CommittedEnds(ctx context.Context, cl *kgo.Client, topic string) (map[int32]int64, error) {
	listed, err := kadm.NewClient(cl).ListCommittedOffsets(ctx, topic)
	if err == nil {
		err = listed.Error()
	}
	if err != nil {
		return nil, fmt.Errorf("listing committed offsets of %s: %w", topic, err)
	}
	ends := map[int32]int64{}
	listed.Each(func(o kadm.ListedOffset) {
		if o.Offset > 0 {
			ends[o.Partition] = o.Offset
		}
	})
	return ends, nil
}
