package pgstore

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bluestream/bluestream/services/analyzer/internal/store"
)

const (
	deleteEntriesSQL = `DELETE FROM projection_entries WHERE key = ANY($1::bytea[])`
	upsertEntriesSQL = `INSERT INTO projection_entries (key, value)
SELECT * FROM unnest($1::bytea[], $2::bytea[])
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`
	upsertOffsetsSQL = `INSERT INTO consumer_offsets (topic, partition, next_offset)
SELECT * FROM unnest($1::text[], $2::int4[], $3::int8[])
ON CONFLICT (topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset`
)

// rollbackTimeout bounds the ROLLBACK sent after a failed commit, which runs
// even when the caller's context is done.
const rollbackTimeout = 5 * time.Second

// Commit implements store.Store. Mutations and offsets go to the server in
// one pipelined round trip inside a single transaction; any failure rolls all
// of it back. Commit forces synchronous_commit for its transaction, so a nil
// error means the batch is durable. When the connection breaks during COMMIT
// the outcome is unknown, as with any remote database; Offsets then tells
// where the stored state ends.
func (s *Store) Commit(ctx context.Context, b store.Batch) (err error) {
	if err := b.Validate(); err != nil {
		return fmt.Errorf("committing batch: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	w := newWrites(b)
	if w.empty() {
		return nil
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("beginning transaction: %w", err)
	}
	defer func() {
		if err != nil {
			rollback(ctx, tx)
		}
	}()

	batch := &pgx.Batch{}
	batch.Queue("SET LOCAL synchronous_commit TO on")
	if len(w.deletes) > 0 {
		batch.Queue(deleteEntriesSQL, w.deletes)
	}
	if len(w.putKeys) > 0 {
		batch.Queue(upsertEntriesSQL, w.putKeys, w.putValues)
	}
	if len(w.topics) > 0 {
		batch.Queue(upsertOffsetsSQL, w.topics, w.partitions, w.offsets)
	}
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return fmt.Errorf("writing batch: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("committing transaction: %w", err)
	}
	return nil
}

// writes is a batch as column arrays for the set-based statements. Each key
// appears once (the batch's last mutation of it wins: ON CONFLICT may not
// touch a row twice in one statement) and rows are sorted, so concurrent
// commits lock rows in the same order.
type writes struct {
	deletes    [][]byte
	putKeys    [][]byte
	putValues  [][]byte
	topics     []string
	partitions []int32
	offsets    []int64
}

func newWrites(b store.Batch) writes {
	last := make(map[string]int, len(b.Mutations))
	for i, m := range b.Mutations {
		last[m.Key] = i
	}
	var w writes
	for _, key := range slices.Sorted(maps.Keys(last)) {
		m := b.Mutations[last[key]]
		if m.Value == nil {
			w.deletes = append(w.deletes, []byte(key))
			continue
		}
		w.putKeys = append(w.putKeys, []byte(key))
		w.putValues = append(w.putValues, m.Value)
	}
	parts := slices.SortedFunc(maps.Keys(b.Offsets), func(x, y store.Partition) int {
		return cmp.Or(cmp.Compare(x.Topic, y.Topic), cmp.Compare(x.Partition, y.Partition))
	})
	for _, p := range parts {
		w.topics = append(w.topics, p.Topic)
		w.partitions = append(w.partitions, p.Partition)
		w.offsets = append(w.offsets, b.Offsets[p])
	}
	return w
}

// rollback ends tx even when ctx is done. Its error is dropped: a failed
// ROLLBACK closes the connection, which aborts the transaction just the
// same, and the pool then discards the connection.
func rollback(ctx context.Context, tx pgx.Tx) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
	defer cancel()
	_ = tx.Rollback(ctx)
}

func (w writes) empty() bool {
	return len(w.deletes) == 0 && len(w.putKeys) == 0 && len(w.topics) == 0
}
