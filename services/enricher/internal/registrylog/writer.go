package registrylog

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// ErrSuperseded means another instance became the registry's writer after this
// one decided a command: the command must be decided again on the newer log.
var ErrSuperseded = errors.New("another instance now writes the registry")

// Writer lets any number of enricher instances serve registry commands while
// the log stays a single writer's: all share one transactional id, and loading
// it fences whichever instance held it before. Prepare makes this instance the
// writer and brings its projection up to every event committed until then; a
// command decided after that can only fail to commit if another instance took
// over meanwhile, and then it failed as a whole (ErrSuperseded).
type Writer struct {
	// NewClient makes the writer's client, with kgo.TransactionalID set to the
	// same id in every instance; a fenced client is replaced by a new one.
	NewClient func() (*kgo.Client, error)
	Follower  *Follower

	mu     sync.Mutex
	client *kgo.Client
}

// Prepare makes this instance the writer and waits until the follower applied
// every event committed so far.
func (w *Writer) Prepare(ctx context.Context) error {
	cl, err := w.writer(ctx)
	if err != nil {
		return err
	}
	ends, err := CommittedEnds(ctx, cl, w.Follower.Topic)
	if err != nil {
		return err
	}
	return w.Follower.WaitFor(ctx, ends)
}

// Append commits recs in one transaction, after Prepare.
func (w *Writer) Append(ctx context.Context, recs []*kgo.Record) error {
	cl, err := w.writer(ctx)
	if err != nil {
		return err
	}
	if err := cl.BeginTransaction(); err != nil {
		return w.fail(ctx, err)
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		return w.fail(ctx, err)
	}
	if err := cl.EndTransaction(ctx, kgo.TryCommit); err != nil {
		return w.fail(ctx, err)
	}
	return nil
}

// Close releases the writer's client.
func (w *Writer) Close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.client != nil {
		w.client.Close()
		w.client = nil
	}
}

// writer returns a client holding the transactional id, loading it (and so
// fencing the previous holder) when this instance does not hold it.
func (w *Writer) writer(ctx context.Context) (*kgo.Client, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.client != nil {
		return w.client, nil
	}
	cl, err := w.NewClient()
	if err != nil {
		return nil, fmt.Errorf("registry writer: %w", err)
	}
	if _, _, err := cl.ProducerID(ctx); err != nil {
		cl.Close()
		return nil, fmt.Errorf("registry writer: loading the transactional id: %w", err)
	}
	w.client = cl
	return cl, nil
}

// fail aborts what it can and drops the client: after fencing it is useless,
// and after any other failure a fresh one is the simplest way to a clean state.
func (w *Writer) fail(ctx context.Context, err error) error {
	w.mu.Lock()
	if w.client != nil {
		_ = w.client.AbortBufferedRecords(ctx)
		_ = w.client.EndTransaction(ctx, kgo.TryAbort)
		w.client.Close()
		w.client = nil
	}
	w.mu.Unlock()
	if errors.Is(err, kerr.ProducerFenced) || errors.Is(err, kerr.InvalidProducerEpoch) {
		return fmt.Errorf("%w: %w", ErrSuperseded, err)
	}
	return fmt.Errorf("appending registry events: %w", err)
}
