package stream

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/pipelinemetrics"
)

// Run consumes with sess and publishes each poll's outputs, dead letters and
// consumed offsets in one transaction, until ctx ends. It is eventbus.Transactor's
// loop with a batch-level transform, which enrichment needs to close its merge
// windows before the offsets commit.
//
// Before the first poll it fences earlier instances with the same transactional id,
// as initTransactions does in Kafka's Java client: a predecessor that crashed in a
// transaction is aborted now, instead of holding its partitions' offsets unstable,
// and so the group stalled, until the transaction timeout.
func Run(ctx context.Context, sess *kgo.GroupTransactSession, s *Stage) error {
	if _, _, err := sess.Client().ProducerID(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("initialising the transactional producer: %w", err)
	}
	for {
		fetches := sess.PollFetches(ctx)
		if ctx.Err() != nil || fetches.IsClientClosed() {
			return nil
		}
		if err := eventbus.FetchErrors(fetches); err != nil {
			return err
		}
		if fetches.Empty() {
			continue
		}
		if err := transact(ctx, sess, s, fetches.Records()); err != nil {
			return err
		}
	}
}

func transact(ctx context.Context, sess *kgo.GroupTransactSession, s *Stage, in []*kgo.Record) error {
	if err := sess.Begin(); err != nil {
		return fmt.Errorf("beginning transaction: %w", err)
	}
	batch := s.Metrics.NewBatch()
	out, batchErr := s.Batch(pipelinemetrics.ContextWithBatch(ctx, batch), in)
	var (
		mu         sync.Mutex
		produceErr error
	)
	for _, r := range out {
		sess.Produce(ctx, r, func(_ *kgo.Record, err error) {
			if err != nil {
				mu.Lock()
				produceErr = errors.Join(produceErr, err)
				mu.Unlock()
			}
		})
	}
	committed, err := sess.End(ctx, kgo.TransactionEndTry(batchErr == nil))
	mu.Lock()
	defer mu.Unlock()
	switch {
	case err != nil:
		return fmt.Errorf("ending transaction: %w", err)
	case batchErr != nil:
		return batchErr
	case produceErr != nil && !committed:
		return fmt.Errorf("producing in transaction: %w", produceErr)
	}
	// Not committed without an error: a rebalance took the partitions and the
	// session rewound to the committed offsets; the records come again, and
	// are counted then.
	if committed {
		count(batch, in, out)
		batch.Commit(ctx, s.now())
	}
	return nil
}

// count notes a committed transaction's inputs and the dead letters among its
// outputs.
func count(b *pipelinemetrics.Batch, in, out []*kgo.Record) {
	for _, r := range in {
		b.In(r.Topic, 1)
	}
	for _, r := range out {
		if src, reason, ok := eventbus.DeadLettered(r); ok {
			b.DeadLettered(src, reason)
		}
	}
}
