package e2e_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/bluestream/bluestream/stack"
	"github.com/bluestream/bluestream/stack/build"
)

// The tests share one stack, started by the first test that needs it:
// building and starting five services is the expensive part, and every test
// reads only the records it caused or recognises, so they do not disturb each
// other. Benchmarks start their own, without the simulator.
var (
	repoRoot  string
	binaries  map[string]string
	dataRoot  string
	sharedLog = newLogTail(400)

	sharedOnce sync.Once
	shared     *stack.Stack
	sharedErr  error
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
	if dataRoot, err = os.MkdirTemp("", "bluestream-e2e-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dataRoot)
	binaries, err = build.Services(ctx, repoRoot, filepath.Join(dataRoot, "bin"), build.Present(repoRoot, stack.Services))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	code := m.Run()
	if shared != nil {
		if err := shared.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping the stack:", err)
			code = 1
		}
	}
	if code != 0 {
		fmt.Fprintf(os.Stderr, "last service log lines:\n%s\n", sharedLog)
	}
	return code
}

// sharedStack returns the suite's stack with the simulated office running.
func sharedStack(t testing.TB) *stack.Stack {
	t.Helper()
	sharedOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		shared, sharedErr = stack.Start(ctx, stack.Config{
			Clusters: stack.ClusterConfig{DataDir: filepath.Join(dataRoot, "shared")},
			Root:     repoRoot, Binaries: binaries,
			Simulate: true, Fleet: simFleet, Seed: simSeed, Speed: 1,
			Log: sharedLog,
		})
	})
	if sharedErr != nil {
		t.Fatalf("starting the stack: %v", sharedErr)
	}
	return shared
}
