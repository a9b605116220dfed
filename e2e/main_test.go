package e2e_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bluestream/bluestream/stack"
	"github.com/bluestream/bluestream/stack/build"
)

// The suite shares one stack: building and starting five services is the
// expensive part, and every test reads only the records it caused or
// recognises, so they do not disturb each other.
var (
	shared    *stack.Stack
	binaries  map[string]string
	repoRoot  string
	sharedLog *logTail
)

// Simulated fleet of the shared stack: small and real-time, so the topics hold
// the simulator's output as well as the tests' own advertisements.
const (
	simFleet = 12
	simSeed  = 7
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var err error
	if repoRoot, err = build.Root("."); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	binDir, err := os.MkdirTemp("", "bluestream-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(binDir)
	if binaries, err = build.Services(ctx, repoRoot, binDir, build.Present(repoRoot, stack.Services)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	dataDir, err := os.MkdirTemp("", "bluestream-e2e-data-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dataDir)
	sharedLog = newLogTail(400)
	shared, err = stack.Start(ctx, stack.Config{
		Clusters: stack.ClusterConfig{DataDir: filepath.Join(dataDir, "stack")},
		Root:     repoRoot, Binaries: binaries,
		Simulate: true, Fleet: simFleet, Seed: simSeed, Speed: 1,
		Log: sharedLog,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting the stack:", err)
		return 1
	}
	code := m.Run()
	if err := shared.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "stopping the stack:", err)
		code = 1
	}
	if code != 0 {
		fmt.Fprintf(os.Stderr, "last service log lines:\n%s\n", sharedLog)
	}
	return code
}
