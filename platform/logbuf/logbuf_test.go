package logbuf_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/bluestream/bluestream/platform/logbuf"
)

func TestConcurrentWritesAllArrive(t *testing.T) {
	t.Parallel()
	var b logbuf.Buffer
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				_, _ = b.Write([]byte("line\n"))
			}
		})
	}
	wg.Wait()
	if n := strings.Count(b.String(), "line\n"); n != 800 {
		t.Fatalf("%d lines, want 800", n)
	}
}
