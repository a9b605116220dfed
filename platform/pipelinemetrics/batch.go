package pipelinemetrics

import (
	"context"
	"sync"
	"time"

	"go.opentelemetry.io/otel/metric"
)

// Batch notes what one transaction of a stage did and records it when the
// transaction commits. Nothing is recorded before Commit, so an aborted
// transaction, whose records are consumed again, is not counted twice. A nil
// *Batch notes nothing. It is safe for concurrent use.
type Batch struct {
	m        *Metrics
	mu       sync.Mutex
	in       map[string]int64
	dlq      map[deadLetter]int64
	received []time.Time
}

type deadLetter struct{ topic, reason string }

// NewBatch starts an empty batch.
func (m *Metrics) NewBatch() *Batch {
	if m == nil {
		return nil
	}
	return &Batch{m: m, in: map[string]int64{}, dlq: map[deadLetter]int64{}}
}

// In notes n records taken in from topic; "" for records that came from no
// topic (over RPC, say), which leaves the series without a topic label.
func (b *Batch) In(topic string, n int) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.in[topic] += int64(n)
}

// DeadLettered notes one record of topic sent to the dead-letter queue for
// reason (what the dead letter's dlq_reason header says).
func (b *Batch) DeadLettered(topic, reason string) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.dlq[deadLetter{topic, reason}]++
}

// Delivered notes a reading the transaction outputs, by the time a gateway
// received its advertisement; Commit observes its age.
func (b *Batch) Delivered(receivedAt time.Time) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.received = append(b.received, receivedAt)
}

// Empty reports whether nothing was noted since the last Commit or Discard.
func (b *Batch) Empty() bool {
	if b == nil {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.in) == 0 && len(b.dlq) == 0 && len(b.received) == 0
}

// Commit records everything noted, taking now as the moment the readings
// became durable, and empties the batch for the next transaction.
func (b *Batch) Commit(ctx context.Context, now time.Time) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for topic, n := range b.in {
		b.m.in.Add(ctx, n, topicAttrs(topic)...)
	}
	for k, n := range b.dlq {
		b.m.dlq.Add(ctx, n, metric.WithAttributes(AttrTopic.String(k.topic), AttrReason.String(k.reason)))
	}
	for _, t := range b.received {
		// The receive time comes from the gateway's clock: one ahead of ours
		// would give a negative age, which a histogram of durations cannot
		// hold.
		b.m.latency.Record(ctx, max(now.Sub(t), 0).Seconds())
	}
	b.reset()
}

// Discard forgets everything noted: the transaction aborted, and its records
// will be counted when they commit.
func (b *Batch) Discard() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.reset()
}

func (b *Batch) reset() {
	clear(b.in)
	clear(b.dlq)
	b.received = b.received[:0]
}

func topicAttrs(topic string) []metric.AddOption {
	if topic == "" {
		return nil
	}
	return []metric.AddOption{metric.WithAttributes(AttrTopic.String(topic))}
}
