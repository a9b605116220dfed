package pgstore_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bluestream/bluestream/services/analyzer/internal/store/pgstore/pgtest"
)

// server is the PostgreSQL server every test in this binary uses.
var server *pgtest.Server

func TestMain(m *testing.M) { os.Exit(runTests(m)) }

func runTests(m *testing.M) int {
	srv, err := pgtest.Start()
	if err != nil {
		fmt.Fprintf(os.Stderr, "pgstore tests: %v\n", err)
		return 1
	}
	server = srv
	code := m.Run()
	if err := srv.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "pgstore tests: stopping PostgreSQL: %v\n", err)
		code = max(code, 1)
	}
	return code
}

// requireServer skips t when no server is available.
func requireServer(t *testing.T) {
	t.Helper()
	server.Require(t)
}

// newDatabase creates an empty database for t, dropped when t ends, and
// returns a pool configuration for it.
func newDatabase(t testing.TB) *pgxpool.Config {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(server.Database(t))
	if err != nil {
		t.Fatalf("parsing the test database's DSN: %v", err)
	}
	return cfg
}
