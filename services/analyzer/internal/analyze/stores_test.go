package analyze

import (
	"maps"
	"os"
	"testing"

	"github.com/bluestream/bluestream/services/analyzer/internal/store"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/storetest"
)

// The stores the tests run on: storetest's backends under short names.
type backend = storetest.Backend

var (
	bolt, postgres = storetest.Bolt, storetest.Postgres
	// durable are the stores a restarted process finds its state in.
	durable = []backend{bolt, postgres}
)

func TestMain(m *testing.M) { os.Exit(storetest.MainWithPostgres(m)) }

// everyStore adds memstore to them, for tests that ran on it before the
// others existed.
var everyStore = []backend{storetest.Mem, bolt, postgres}

var forEachStore = storetest.ForEach

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
