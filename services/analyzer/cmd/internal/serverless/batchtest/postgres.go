package batchtest

import (
	"fmt"
	"os"
	"testing"

	"github.com/bluestream/bluestream/services/analyzer/internal/store/pgstore/pgtest"
)

// RunWithPostgres is a TestMain's body for targets that keep their state in
// PostgreSQL: it starts the server the package's tests share in *pg, runs
// them and stops it.
func RunWithPostgres(m *testing.M, pg **pgtest.Server) int {
	var err error
	if *pg, err = pgtest.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "%v\n", err)
		return 1
	}
	code := m.Run()
	if err := (*pg).Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "stopping PostgreSQL: %v\n", err)
		code = max(code, 1)
	}
	return code
}
