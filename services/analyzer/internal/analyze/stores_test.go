package analyze

import (
	"fmt"
	"maps"
	"os"
	"testing"

	"github.com/bluestream/bluestream/services/analyzer/internal/store"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/boltstore"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/memstore"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/pgstore"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/pgstore/pgtest"
)

// pg is the one PostgreSQL server of this test binary; every postgres
// subtest gets a database of its own on it, so subtests stay independent
// without paying for a server each.
var pg *pgtest.Server

func TestMain(m *testing.M) { os.Exit(runTests(m)) }

func runTests(m *testing.M) int {
	var err error
	if pg, err = pgtest.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "analyze tests: %v\n", err)
		return 1
	}
	code := m.Run()
	if err := pg.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "analyze tests: stopping PostgreSQL: %v\n", err)
		code = max(code, 1)
	}
	return code
}

// backend makes stores of one implementation. fresh creates an empty store
// that lasts as long as t and returns how to open it. Opening it again
// after Close finds what was committed, as a restarted process would; a
// store still open when t ends is closed then.
type backend struct {
	name  string
	fresh func(t testing.TB) (open func() store.Store)
}

var (
	// mem keeps its one instance across Close, standing in for a restart
	// that kept memory: it tests the engine's restore, not durability.
	mem = backend{"mem", func(testing.TB) func() store.Store {
		st := memstore.New()
		return func() store.Store { return st }
	}}
	bolt = backend{"bolt", func(t testing.TB) func() store.Store {
		dir := t.TempDir()
		return func() store.Store {
			t.Helper()
			st, err := boltstore.Open(dir)
			if err != nil {
				t.Fatalf("opening bolt store: %v", err)
			}
			t.Cleanup(func() { _ = st.Close() }) // a second Close is a no-op
			return st
		}
	}}
	postgres = backend{"postgres", func(t testing.TB) func() store.Store {
		dsn := pg.Database(t) // skips t when there is no PostgreSQL
		return func() store.Store {
			t.Helper()
			st, err := pgstore.Open(t.Context(), dsn)
			if err != nil {
				t.Fatalf("opening postgres store: %v", err)
			}
			t.Cleanup(func() { _ = st.Close() }) // runs before the database is dropped
			return st
		}
	}}

	// durable are the stores a restarted process finds its state in.
	durable = []backend{bolt, postgres}
	// everyStore adds memstore to them, for tests that ran on it before
	// the others existed.
	everyStore = []backend{mem, bolt, postgres}
)

// forEachStore runs test once per backend, as parallel subtests named by
// the backend.
func forEachStore(t *testing.T, backends []backend, test func(t *testing.T, b backend)) {
	t.Helper()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			test(t, b)
		})
	}
}

// restart closes st, which e was opened on, and opens a new engine on what
// the store at open holds, as a restarted process would. The new engine
// must restore e's state exactly: whatever e held that the store lost or
// changed shows up as a difference.
func restart(t *testing.T, e *Engine, st store.Store, open func() store.Store) (*Engine, store.Store) {
	t.Helper()
	if err := e.Commit(t.Context()); err != nil {
		t.Fatalf("Commit before restart: %v", err)
	}
	want := dumpEngine(t, e)
	if err := st.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	st = open()
	restored := openEngine(t, st)
	if got := dumpEngine(t, restored); got != want {
		t.Fatalf("state restored from the store differs from the engine that committed it:\n%s", firstDiff(got, want))
	}
	if got, want := restored.Offsets(), e.Offsets(); !maps.Equal(got, want) {
		t.Fatalf("restored offsets %v, want %v", got, want)
	}
	return restored, st
}
