package storetest

import (
	"fmt"
	"os"
	"testing"

	"github.com/bluestream/bluestream/services/analyzer/internal/store"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/boltstore"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/memstore"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/pgstore"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/pgstore/pgtest"
)

// Backend makes stores of one implementation. Fresh creates an empty store
// that lasts as long as t and returns how to open it. Opening it again after
// Close finds what was committed, as a restarted process would; a store still
// open when t ends is closed then.
type Backend struct {
	Name  string
	Fresh func(t testing.TB) (open func() store.Store)
}

// Mem keeps its one instance across Close, standing in for a restart that
// kept memory: it tests an engine's restore, not durability.
var Mem = Backend{"mem", func(testing.TB) func() store.Store {
	st := memstore.New()
	return func() store.Store { return st }
}}

// Bolt stores in a temporary directory of t's.
var Bolt = Backend{"bolt", func(t testing.TB) func() store.Store {
	dir := t.TempDir()
	return func() store.Store { return OpenBolt(t, dir) }
}}

// OpenBolt opens the bolt store in dir, closed when t ends.
func OpenBolt(t testing.TB, dir string) store.Store {
	t.Helper()
	st, err := boltstore.Open(dir)
	if err != nil {
		t.Fatalf("opening bolt store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() }) // a second Close is a no-op
	return st
}

// postgresServer is the test binary's one PostgreSQL server, started by
// MainWithPostgres.
var postgresServer *pgtest.Server

// Postgres gives each test a database of its own on the test binary's server
// (see MainWithPostgres), so tests stay independent without a server each.
var Postgres = Backend{"postgres", func(t testing.TB) func() store.Store {
	if postgresServer == nil {
		t.Fatal("storetest.Postgres needs TestMain to run storetest.MainWithPostgres")
	}
	dsn := postgresServer.Database(t) // skips t when there is no PostgreSQL
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

// ForEach runs test once per backend, as parallel subtests named by it.
func ForEach(t *testing.T, backends []Backend, test func(t *testing.T, b Backend)) {
	t.Helper()
	for _, b := range backends {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			test(t, b)
		})
	}
}

// MainWithPostgres runs a test binary's tests with one PostgreSQL server for
// the Postgres backend and returns the exit code.
func MainWithPostgres(m *testing.M) int {
	var err error
	if postgresServer, err = pgtest.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", os.Args[0], err)
		return 1
	}
	code := m.Run()
	if err := postgresServer.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: stopping PostgreSQL: %v\n", os.Args[0], err)
		code = max(code, 1)
	}
	return code
}
