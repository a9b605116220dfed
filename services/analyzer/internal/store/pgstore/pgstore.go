// Package pgstore is the PostgreSQL Store, for analyzer instances that keep
// no local state (the serverless targets): projection entries and consumer
// offsets live in two tables and every batch is written in one transaction.
package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bluestream/bluestream/services/analyzer/internal/store"
)

// schemaLockID serialises schema creation between instances that open the
// same database at once: concurrent CREATE TABLE IF NOT EXISTS can still
// collide on the catalog's unique indexes.
const schemaLockID = 0x626c756573747265 // "bluestre"

// schema holds the projection entries (keys and values as bytea, so keys
// sort byte by byte like the embedded store's) and the offsets. The CHECK
// constraints repeat store.Batch.Validate for writers that bypass it.
const schema = `
CREATE TABLE IF NOT EXISTS projection_entries (
	key   bytea PRIMARY KEY CHECK (length(key) > 0),
	value bytea NOT NULL
);
CREATE TABLE IF NOT EXISTS consumer_offsets (
	topic       text    NOT NULL CHECK (topic <> ''),
	partition   integer NOT NULL CHECK (partition >= 0),
	next_offset bigint  NOT NULL CHECK (next_offset >= 0),
	PRIMARY KEY (topic, partition)
);`

// defaultScanPageSize is how many entries Scan reads per query.
const defaultScanPageSize = 1000

// Store implements store.Store on PostgreSQL.
type Store struct {
	pool     *pgxpool.Pool
	pageSize int
}

var _ store.Store = (*Store)(nil)

// Open connects to the database named by dsn (a PostgreSQL URL or key=value
// string, as pgxpool.ParseConfig reads it) and creates the tables if they do
// not exist.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// The parse error can quote the DSN, password included.
		return nil, errors.New("parsing postgres dsn: invalid connection string")
	}
	return OpenConfig(ctx, cfg)
}

// OpenConfig is Open with a parsed pool configuration.
func OpenConfig(ctx context.Context, cfg *pgxpool.Config) (*Store, error) {
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("creating postgres pool: %w", err)
	}
	if err := createSchema(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	return &Store{pool: pool, pageSize: defaultScanPageSize}, nil
}

func createSchema(ctx context.Context, pool *pgxpool.Pool) error {
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(schemaLockID)); err != nil {
			return fmt.Errorf("locking schema: %w", err)
		}
		if _, err := tx.Exec(ctx, schema); err != nil {
			return fmt.Errorf("creating tables: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("creating schema: %w", err)
	}
	return nil
}

// Close implements store.Store. It waits for connections in use to be
// returned to the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}
