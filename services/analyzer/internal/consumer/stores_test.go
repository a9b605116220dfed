package consumer

import (
	"os"
	"testing"

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

var (
	forEachStore = storetest.ForEach
	openBolt     = storetest.OpenBolt
)
