package eventbus

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/plugin/kotel"

	"github.com/bluestream/bluestream/platform/pipelinemetrics"
	"github.com/bluestream/bluestream/platform/telemetry"
)

// Transform turns one consumed record into the records to publish for it. An
// error sends the input to its topic's dead-letter queue instead, unless it is
// marked with Retry.
type Transform func(ctx context.Context, r *kgo.Record) ([]*kgo.Record, error)

// retryable marks an error that is not the record's fault.
type retryable struct{ error }

func (r retryable) Unwrap() error { return r.error }

// Retry marks err as transient: the transaction is aborted and the record is
// consumed again, instead of going to the dead-letter queue.
func Retry(err error) error { return retryable{err} }

// IsRetry reports whether err was marked with Retry: not the record's fault, so
// the batch should be tried again rather than the record dead-lettered.
func IsRetry(err error) bool {
	var r retryable
	return errors.As(err, &r)
}

// TransactConfig names the group and transactional id of a consume-transform-
// produce stage.
type TransactConfig struct {
	Kafka Config
	// Group is the consumer group; TransactionalID must be unique per instance.
	Group           string
	TransactionalID string
	Topics          []string
	// Source is the ce_source of produced events.
	Source string
}

// Transactor runs a consume-transform-produce stage in Kafka transactions, so
// each input yields its outputs exactly once for read_committed consumers.
type Transactor struct {
	sess    *kgo.GroupTransactSession
	tracer  *kotel.Tracer
	metrics *pipelinemetrics.Metrics
	Encoder Encoder
	now     func() time.Time
}

// NewTransactor joins the group; extra options go to the client (e.g. fetch
// sizes or a logger).
func NewTransactor(cfg TransactConfig, tel *telemetry.Telemetry, extra ...kgo.Opt) (*Transactor, error) {
	opts, err := cfg.Kafka.Opts()
	if err != nil {
		return nil, err
	}
	hooks, tracer := Instrumentation(tel, cfg.Group)
	opts = append(opts, hooks,
		kgo.ConsumerGroup(cfg.Group),
		kgo.ConsumeTopics(cfg.Topics...),
		kgo.TransactionalID(cfg.TransactionalID),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.RequireStableFetchOffsets(),
	)
	metrics, err := pipelinemetrics.New(tel.MeterProvider)
	if err != nil {
		return nil, err
	}
	sess, err := kgo.NewGroupTransactSession(append(opts, extra...)...)
	if err != nil {
		return nil, fmt.Errorf("creating transactional session: %w", err)
	}
	return &Transactor{sess: sess, tracer: tracer, metrics: metrics, Encoder: Encoder{Source: cfg.Source}, now: time.Now}, nil
}

// Close leaves the group and closes the client; an open transaction is aborted.
func (t *Transactor) Close() { t.sess.Close() }

// Client is the underlying client, e.g. for admin requests.
func (t *Transactor) Client() *kgo.Client { return t.sess.Client() }

// Run polls and transforms until ctx ends. Each poll is one transaction: its
// outputs, its dead letters and its consumed offsets commit together or not at
// all. It returns nil when ctx ends, or the error that made it stop.
//
// A committed transaction counts its inputs and dead letters in the pipeline
// metrics; fn reports the readings it outputs with pipelinemetrics.Delivered
// on the context it is given, and their age is observed at the commit.
func (t *Transactor) Run(ctx context.Context, fn Transform) error {
	for {
		fetches := t.sess.PollFetches(ctx)
		if ctx.Err() != nil || fetches.IsClientClosed() {
			return nil
		}
		if err := FetchErrors(fetches); err != nil {
			return err
		}
		if fetches.Empty() {
			continue
		}
		if err := t.transactBatch(ctx, fetches, fn); err != nil {
			return err
		}
	}
}

func (t *Transactor) transactBatch(ctx context.Context, fetches kgo.Fetches, fn Transform) error {
	if err := t.sess.Begin(); err != nil {
		return fmt.Errorf("beginning transaction: %w", err)
	}
	var (
		mu       sync.Mutex
		firstErr error
	)
	promise := func(_ *kgo.Record, err error) {
		if err != nil {
			mu.Lock()
			firstErr = errors.Join(firstErr, err)
			mu.Unlock()
		}
	}
	var retryErr error
	batch := t.metrics.NewBatch()
	fetches.EachRecord(func(in *kgo.Record) {
		if retryErr != nil {
			return
		}
		pctx, span := t.tracer.WithProcessSpan(in)
		defer span.End()
		pctx = pipelinemetrics.ContextWithBatch(pctx, batch)
		batch.In(in.Topic, 1)
		outs, err := fn(pctx, in)
		var r retryable
		switch {
		case errors.As(err, &r):
			retryErr = fmt.Errorf("transforming %s[%d]@%d: %w", in.Topic, in.Partition, in.Offset, r.error)
			return
		case err != nil:
			span.RecordError(err)
			outs = []*kgo.Record{DLQRecord(in, err, t.now())}
			batch.DeadLettered(in.Topic, DLQReason(err))
		}
		for _, out := range outs {
			if out.Context == nil {
				out.Context = pctx
			}
			t.sess.Produce(ctx, out, promise)
		}
	})
	commit := kgo.TransactionEndTry(retryErr == nil)
	committed, err := t.sess.End(ctx, commit)
	mu.Lock()
	produceErr := firstErr
	mu.Unlock()
	switch {
	case err != nil:
		return fmt.Errorf("ending transaction: %w", err)
	case retryErr != nil:
		return retryErr
	case produceErr != nil && !committed:
		return fmt.Errorf("producing in transaction: %w", produceErr)
	}
	// Not committed without an error means a rebalance took the partitions; the
	// session rewound to the committed offsets and the records are consumed again,
	// and counted then.
	if committed {
		batch.Commit(ctx, t.now())
	}
	return nil
}
