package serverless

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// lockID is the advisory lock that serialises batches on one database:
// "analyzer" in ASCII, distinct from pgstore's schema lock.
const lockID = 0x616e616c797a6572

// releaseTimeout bounds the ROLLBACK that releases the lock, which runs even
// when the invocation's context is done.
const releaseTimeout = 5 * time.Second

// Lock serialises batches across function instances. The engine is a
// projection of every partition, so two instances applying batches of
// different partitions at once would each write state restored before the
// other's commit, and one would undo the other. The lock is transaction
// scoped on its own connection: an instance that dies mid-batch drops the
// connection and the lock with it.
type Lock struct {
	pool *pgxpool.Pool
}

// NewLock connects a small pool for the lock to the database named by dsn.
func NewLock(ctx context.Context, dsn string) (*Lock, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// The parse error can quote the DSN, password included.
		return nil, fmt.Errorf("parsing store-dsn: invalid connection string")
	}
	cfg.MaxConns = 2
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("creating postgres pool for the batch lock: %w", err)
	}
	return &Lock{pool: pool}, nil
}

// Acquire waits for the lock until ctx ends. Call release when the batch is
// committed or abandoned.
func (l *Lock) Acquire(ctx context.Context) (release func(), err error) {
	tx, err := l.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("locking the store: %w", err)
	}
	release = func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
		defer cancel()
		_ = tx.Rollback(ctx) // a failed rollback closes the connection, which releases the lock too
	}
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(lockID)); err != nil {
		release()
		return nil, fmt.Errorf("locking the store: %w", err)
	}
	return release, nil
}

// Close closes the lock's pool.
func (l *Lock) Close() { l.pool.Close() }
