package pgstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/bluestream/bluestream/services/analyzer/internal/store"
)

// Get implements store.Store.
func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {
	var v []byte
	err := s.pool.QueryRow(ctx, `SELECT value FROM projection_entries WHERE key = $1`, []byte(key)).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("reading %q: %w", key, err)
	}
	if v == nil {
		v = []byte{}
	}
	return v, nil
}

// Scan implements store.Store. It reads one snapshot (a read-only
// REPEATABLE READ transaction), a page of keys at a time, and calls fn only
// between queries: fn may use the store, an early stop reads at most one
// page too many, and commits made meanwhile are not seen.
func (s *Store) Scan(ctx context.Context, prefix string, fn func(key string, value []byte) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("beginning scan: %w", err)
	}
	defer rollback(ctx, tx) // read only: ROLLBACK loses nothing

	from := []byte(prefix)
	end := prefixEnd(from)
	for {
		keys, values, err := s.page(ctx, tx, from, end)
		if err != nil {
			return fmt.Errorf("scanning %q: %w", prefix, err)
		}
		for i, k := range keys {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(string(k), values[i]); err != nil {
				return err
			}
		}
		if len(keys) < s.pageSize {
			return nil
		}
		// The smallest key after the last one read: the key itself plus NUL.
		from = append(keys[len(keys)-1], 0)
	}
}

// page reads up to s.pageSize entries with from <= key < end (no upper bound
// when end is nil) in key order.
func (s *Store) page(ctx context.Context, tx pgx.Tx, from, end []byte) (keys, values [][]byte, err error) {
	var rows pgx.Rows
	if end == nil {
		rows, err = tx.Query(ctx, `SELECT key, value FROM projection_entries
WHERE key >= $1 ORDER BY key LIMIT $2`, from, s.pageSize)
	} else {
		rows, err = tx.Query(ctx, `SELECT key, value FROM projection_entries
WHERE key >= $1 AND key < $2 ORDER BY key LIMIT $3`, from, end, s.pageSize)
	}
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k, v []byte
		if err := rows.Scan(&k, &v); err != nil {
			return nil, nil, err
		}
		keys = append(keys, k)
		values = append(values, v)
	}
	return keys, values, rows.Err()
}

// prefixEnd returns the smallest key greater than every key that starts
// with prefix, or nil when there is none (an empty or all-0xff prefix).
func prefixEnd(prefix []byte) []byte {
	end := bytes.Clone(prefix)
	for len(end) > 0 && end[len(end)-1] == 0xff {
		end = end[:len(end)-1]
	}
	if len(end) == 0 {
		return nil
	}
	end[len(end)-1]++
	return end
}

// Offsets implements store.Store.
func (s *Store) Offsets(ctx context.Context) (map[store.Partition]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT topic, partition, next_offset FROM consumer_offsets`)
	if err != nil {
		return nil, fmt.Errorf("reading offsets: %w", err)
	}
	defer rows.Close()
	out := make(map[store.Partition]int64)
	for rows.Next() {
		var p store.Partition
		var off int64
		if err := rows.Scan(&p.Topic, &p.Partition, &off); err != nil {
			return nil, fmt.Errorf("reading offsets: %w", err)
		}
		out[p] = off
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading offsets: %w", err)
	}
	return out, nil
}
