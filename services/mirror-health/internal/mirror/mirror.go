package mirror

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/services/mirror-health/internal/mm2"
)

// Mirror replicates one flow. Create it with New and call Run.
type Mirror struct {
	cfg Config
	// crashBeforeCommit lets tests stop the mirror dead in the middle of a
	// transaction; batch counts from 1.
	crashBeforeCommit func(batch int) bool
}

// errCrashed is returned when crashBeforeCommit asked for a crash.
var errCrashed = errors.New("mirror crashed on purpose before committing")

// New validates cfg and fills in its defaults.
func New(cfg Config) (*Mirror, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.applyDefaults()
	return &Mirror{cfg: cfg}, nil
}

// run is the state of one Run call.
type run struct {
	cfg        Config
	src, tgt   *kgo.Client
	srcProd    *kgo.Client
	srcAdm     *kadm.Client
	syncs      syncStore
	batches    int
	nextBeat   time.Time
	nextCheck  time.Time
	crashCheck func(int) bool
}

// Run mirrors until ctx is done or an error occurs; see the package
// documentation for what a restart after either guarantees.
func (m *Mirror) Run(ctx context.Context) error {
	r, err := m.start(ctx)
	if err != nil {
		return err
	}
	defer r.close()
	for {
		if err := r.step(ctx); err != nil {
			return err
		}
	}
}

func (m *Mirror) start(ctx context.Context) (*run, error) {
	cfg := m.cfg
	r := &run{cfg: cfg, crashCheck: m.crashBeforeCommit}
	var err error
	admin, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(cfg.TargetBrokers...)}, cfg.TargetOpts...)...)
	if err != nil {
		return nil, fmt.Errorf("creating target admin client: %w", err)
	}
	defer admin.Close()
	tgtAdm := kadm.NewClient(admin)
	srcAdmin, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(cfg.SourceBrokers...)}, cfg.SourceOpts...)...)
	if err != nil {
		return nil, fmt.Errorf("creating source admin client: %w", err)
	}
	r.srcAdm = kadm.NewClient(srcAdmin)
	err = ensureSourceHeartbeats(ctx, r.srcAdm)
	var counts map[string]int32
	if err == nil {
		counts, err = partitionCounts(ctx, r.srcAdm, mirroredTopics(cfg))
	}
	if err == nil {
		err = ensureTargetTopics(ctx, tgtAdm, cfg, counts)
	}
	if err == nil {
		r.syncs, err = loadSyncs(ctx, cfg, tgtAdm)
	}
	if err == nil {
		err = r.openClients(counts)
	}
	if err != nil {
		r.close()
		return nil, err
	}
	return r, nil
}

func (r *run) openClients(counts map[string]int32) error {
	var err error
	r.src, err = kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(r.cfg.SourceBrokers...),
		kgo.ConsumePartitions(startOffsets(r.syncs, counts)),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
	}, r.cfg.SourceOpts...)...)
	if err != nil {
		return fmt.Errorf("creating source consumer: %w", err)
	}
	r.srcProd, err = kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(r.cfg.SourceBrokers...)}, r.cfg.SourceOpts...)...)
	if err != nil {
		return fmt.Errorf("creating source heartbeat producer: %w", err)
	}
	r.tgt, err = kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(r.cfg.TargetBrokers...),
		kgo.TransactionalID(r.cfg.TransactionalID),
		kgo.RecordPartitioner(kgo.ManualPartitioner()),
	}, r.cfg.TargetOpts...)...)
	if err != nil {
		return fmt.Errorf("creating target producer: %w", err)
	}
	return nil
}

func (r *run) close() {
	for _, c := range []*kgo.Client{r.src, r.srcProd, r.tgt} {
		if c != nil {
			c.Close()
		}
	}
	if r.srcAdm != nil {
		r.srcAdm.Close()
	}
}

// step waits for source records or the next heartbeat, whichever is first,
// and commits one transaction with whatever is due.
func (r *run) step(ctx context.Context) error {
	pollCtx, cancel := context.WithTimeout(ctx, r.cfg.HeartbeatInterval)
	fetches := r.src.PollRecords(pollCtx, r.cfg.MaxBatchRecords)
	cancel()
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := fetchErr(fetches); err != nil {
		return fmt.Errorf("fetching from source: %w", err)
	}
	now := r.cfg.Now()
	var out []*kgo.Record
	fetches.EachRecord(func(rec *kgo.Record) {
		if !rec.Attrs.IsControl() {
			out = append(out, remoteRecord(r.cfg.SourceAlias, rec))
		}
	})
	beat := !now.Before(r.nextBeat)
	checkpoint := !now.Before(r.nextCheck)
	if len(out) == 0 && !beat && !checkpoint {
		return nil
	}
	if beat {
		if err := r.beatOnSource(ctx, now); err != nil {
			return err
		}
	}
	if err := r.commitBatch(ctx, now, out, beat, checkpoint); err != nil {
		return err
	}
	if beat {
		r.nextBeat = now.Add(r.cfg.HeartbeatInterval)
	}
	if checkpoint {
		r.nextCheck = now.Add(r.cfg.CheckpointInterval)
	}
	return nil
}

// fetchErr ignores the poll timeout we set ourselves to emit heartbeats.
func fetchErr(f kgo.Fetches) error {
	var errs []error
	f.EachError(func(_ string, _ int32, err error) {
		if !errors.Is(err, context.DeadlineExceeded) {
			errs = append(errs, err)
		}
	})
	return errors.Join(errs...)
}

// remoteRecord copies a source record for the target, keeping its partition,
// key, value, headers and timestamp.
func remoteRecord(sourceAlias string, rec *kgo.Record) *kgo.Record {
	return &kgo.Record{
		Topic:     mm2.RemoteTopic(sourceAlias, rec.Topic),
		Partition: rec.Partition,
		Key:       rec.Key,
		Value:     rec.Value,
		// A copy of the headers: a tracing hook on the target rewrites the
		// copy's traceparent to the mirror's own span.
		Headers:   slices.Clone(rec.Headers),
		Timestamp: rec.Timestamp,
		// Context carries the source record so its offset is at hand when
		// the copy's result comes back, and the source record's context so
		// the copy continues the trace the fetch hook picked up.
		Context: context.WithValue(recordContext(rec), sourceRecordKey{}, rec),
	}
}

func recordContext(rec *kgo.Record) context.Context {
	if rec.Context != nil {
		return rec.Context
	}
	return context.Background()
}

type sourceRecordKey struct{}

// sourceOf is the source record a copy was made from.
func sourceOf(copied *kgo.Record) *kgo.Record {
	return copied.Context.Value(sourceRecordKey{}).(*kgo.Record)
}
