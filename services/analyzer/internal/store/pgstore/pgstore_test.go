package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bluestream/bluestream/services/analyzer/internal/store"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/pgstore"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/storetest"
)

var (
	p0 = store.Partition{Topic: "azure.ble.enriched.v1", Partition: 0}
	p1 = store.Partition{Topic: "azure.ble.enriched.v1", Partition: 1}
)

func TestContract(t *testing.T) {
	requireServer(t)
	storetest.RunContract(t, func() store.Store {
		return openStore(t, newDatabase(t))
	})
}

func openStore(t testing.TB, cfg *pgxpool.Config) *pgstore.Store {
	t.Helper()
	s, err := pgstore.OpenConfig(t.Context(), cfg.Copy())
	if err != nil {
		t.Fatalf("OpenConfig: %v", err)
	}
	return s
}

// openFresh opens a store on a new database and closes it when t ends.
func openFresh(t *testing.T) (*pgstore.Store, *pgxpool.Config) {
	t.Helper()
	cfg := newDatabase(t)
	s := openStore(t, cfg)
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s, cfg
}

// The contract suite's helpers under the short names these tests use.
var (
	put        = storetest.Put
	mustCommit = storetest.MustCommit
	dump       = storetest.Snapshot
)

// seed commits a known state for the failure tests and returns its dump.
func seed(t *testing.T, s store.Store) string {
	t.Helper()
	mustCommit(t, s, store.Batch{
		Mutations: []store.Mutation{put("device/a", "A1"), put("device/b", "B1"), put("zone/x", "X1")},
		Offsets:   map[store.Partition]int64{p0: 10, p1: 20},
	})
	return dump(t, s)
}

func TestReopen_keeps_committed_state(t *testing.T) {
	requireServer(t)
	cfg := newDatabase(t)
	s := openStore(t, cfg)
	mustCommit(t, s, store.Batch{
		Mutations: []store.Mutation{put("device/a", "A")},
		Offsets:   map[store.Partition]int64{p0: 99},
	})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openStore(t, cfg) // the schema already exists now
	defer s.Close()
	v, err := s.Get(t.Context(), "device/a")
	offs, oerr := s.Offsets(t.Context())
	if err != nil || oerr != nil || string(v) != "A" || offs[p0] != 99 {
		t.Errorf("after reopen: value %q (%v), offset %d (%v); want A and 99", v, err, offs[p0], oerr)
	}
}

func TestOpen_concurrently_on_a_new_database(t *testing.T) {
	requireServer(t)
	cfg := newDatabase(t)
	const n = 4
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			s, err := pgstore.OpenConfig(t.Context(), cfg.Copy())
			if err == nil {
				err = s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Errorf("concurrent Open: %v", err)
	}
}

// TestCommit_failing_statement_applies_nothing makes the server reject one
// statement of a batch after earlier ones have run in the same transaction.
func TestCommit_failing_statement_applies_nothing(t *testing.T) {
	requireServer(t)
	// Random bytes do not compress, so this key cannot fit a btree entry.
	long := make([]byte, 3000)
	for i := range long {
		long[i] = byte(rand.N(256))
	}
	tests := []struct {
		name     string
		batch    store.Batch
		wantCode string
	}{{
		name: "key_too_long_for_the_index",
		batch: store.Batch{
			Mutations: []store.Mutation{{Key: "device/a"}, put("device/b", "B2"), put("device/"+string(long), "L")},
			Offsets:   map[store.Partition]int64{p0: 11},
		},
		wantCode: "54000", // program_limit_exceeded
	}, {
		name: "topic_the_server_cannot_store",
		batch: store.Batch{
			Mutations: []store.Mutation{{Key: "device/a"}, put("device/b", "B2"), put("device/c", "C2")},
			Offsets:   map[store.Partition]int64{p1: 21, {Topic: "azure.ble\x00enriched.v1", Partition: 0}: 1},
		},
		wantCode: "22021", // character_not_in_repertoire: text cannot hold NUL
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := openFresh(t)
			before := seed(t, s)
			err := s.Commit(t.Context(), tt.batch)
			if pgErr, ok := errors.AsType[*pgconn.PgError](err); !ok || pgErr.Code != tt.wantCode {
				t.Fatalf("Commit error = %v, want a server error with SQLSTATE %s", err, tt.wantCode)
			}
			if after := dump(t, s); after != before {
				t.Errorf("failed commit changed the store:\nbefore\n%s\nafter\n%s", before, after)
			}
			mustCommit(t, s, store.Batch{Mutations: []store.Mutation{put("device/b", "B3")}})
		})
	}
}

// TestCommit_cancelled_mid_transaction holds a lock on an offset row so that
// Commit stops inside its transaction after writing the mutations, then
// cancels the context.
func TestCommit_cancelled_mid_transaction(t *testing.T) {
	requireServer(t)
	s, cfg := openFresh(t)
	before := seed(t, s)
	ctx := t.Context()

	locker, err := pgx.ConnectConfig(ctx, cfg.ConnConfig.Copy())
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Close(context.WithoutCancel(ctx))
	lockTx, err := locker.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lockTx.Exec(ctx, `SELECT 1 FROM consumer_offsets WHERE topic = $1 AND partition = $2 FOR UPDATE`, p1.Topic, p1.Partition); err != nil {
		t.Fatal(err)
	}

	commitCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- s.Commit(commitCtx, store.Batch{
			Mutations: []store.Mutation{{Key: "device/a"}, put("device/b", "B2"), put("device/c", "C2")},
			Offsets:   map[store.Partition]int64{p0: 11, p1: 21},
		})
	}()

	probe, err := pgx.ConnectConfig(ctx, cfg.ConnConfig.Copy())
	if err != nil {
		t.Fatal(err)
	}
	defer probe.Close(context.WithoutCancel(ctx))
	waitUntil(t, done, "Commit to wait for the offset lock", func() (bool, error) {
		var waiting int
		err := probe.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting)
		return waiting > 0, err
	})
	// The mutations are written: their rows are locked by the open transaction.
	_, err = probe.Exec(ctx, `SELECT 1 FROM projection_entries WHERE key = $1 FOR UPDATE NOWAIT`, []byte("device/b"))
	if pgErr, ok := errors.AsType[*pgconn.PgError](err); !ok || pgErr.Code != "55P03" {
		t.Errorf("locking a row the waiting Commit wrote: %v, want lock_not_available (55P03)", err)
	}

	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("Commit with a context cancelled mid-transaction succeeded")
		}
		t.Logf("Commit returned: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("Commit did not return within 10s of its context being cancelled")
	}
	if err := lockTx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if after := dump(t, s); after != before {
		t.Errorf("cancelled commit changed the store:\nbefore\n%s\nafter\n%s", before, after)
	}
	mustCommit(t, s, store.Batch{Mutations: []store.Mutation{put("device/b", "B3")}, Offsets: map[store.Partition]int64{p1: 22}})
}

// waitUntil polls cond until it holds, failing t after a deadline or when
// done delivers first (the operation finished instead of blocking).
func waitUntil(t *testing.T, done <-chan error, what string, cond func() (bool, error)) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		ok, err := cond()
		if err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		if ok {
			return
		}
		select {
		case err := <-done:
			t.Fatalf("waiting for %s: it returned instead (%v)", what, err)
		case <-deadline:
			t.Fatalf("waiting for %s: not after 10s", what)
		case <-tick.C:
		}
	}
}

func TestScan_pages_through_one_snapshot(t *testing.T) {
	requireServer(t)
	s, _ := openFresh(t)
	pgstore.SetScanPageSize(s, 2)
	mustCommit(t, s, store.Batch{Mutations: []store.Mutation{
		put("d/a", "1"), put("d/a\x00", "2"), put("d/a\x00\x00", "3"), put("d/b", "4"),
		put("d/\xff", "5"), put("d/\xff\xff", "6"), put("d0", "no"), put("c", "no"),
	}})
	var got []string
	err := s.Scan(t.Context(), "d/", func(k string, v []byte) error {
		if len(got) == 0 {
			// Changes committed during the scan are not seen by it.
			if err := s.Commit(t.Context(), store.Batch{Mutations: []store.Mutation{
				{Key: "d/\xff\xff"}, put("d/c", "new"),
			}}); err != nil {
				return err
			}
		}
		got = append(got, fmt.Sprintf("%q=%s", k, v))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`"d/a"=1`, `"d/a\x00"=2`, `"d/a\x00\x00"=3`, `"d/b"=4`, `"d/\xff"=5`, `"d/\xff\xff"=6`}
	if !slices.Equal(got, want) {
		t.Errorf("Scan(d/) = %q, want %q", got, want)
	}

	got = nil
	err = s.Scan(t.Context(), "d/\xff", func(k string, v []byte) error {
		got = append(got, fmt.Sprintf("%q=%s", k, v))
		return nil
	})
	if want := []string{`"d/\xff"=5`}; err != nil || !slices.Equal(got, want) {
		t.Errorf("Scan(d/\\xff) = %q, %v; want %q", got, err, want)
	}
}
