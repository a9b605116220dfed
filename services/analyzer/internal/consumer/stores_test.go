package consumer

import (
	"fmt"
	"os"
	"testing"

	"github.com/bluestream/bluestream/services/analyzer/internal/store"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/boltstore"
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
		fmt.Fprintf(os.Stderr, "consumer tests: %v\n", err)
		return 1
	}
	code := m.Run()
	if err := pg.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "consumer tests: stopping PostgreSQL: %v\n", err)
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
	bolt = backend{"bolt", func(t testing.TB) func() store.Store {
		dir := t.TempDir()
		return func() store.Store { return openBolt(t, dir) }
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

	// durable are the stores a restarted analyzer finds its state in.
	durable = []backend{bolt, postgres}
)

func openBolt(t testing.TB, dir string) store.Store {
	t.Helper()
	st, err := boltstore.Open(dir)
	if err != nil {
		t.Fatalf("opening bolt store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() }) // a second Close is a no-op
	return st
}

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
