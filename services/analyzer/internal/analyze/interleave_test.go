package analyze

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/store"
)

// reinterleave keeps each partition's order (as Kafka does) but hands the
// partitions over in uneven chunks, as a consumer catching up on a rebuild
// might.
func reinterleave(records []record, chunk0, chunk1 int) []record {
	var parts [2][]record
	for _, r := range records {
		parts[r.at.Partition.Partition] = append(parts[r.at.Partition.Partition], r)
	}
	var out []record
	for len(parts[0])+len(parts[1]) > 0 {
		for i, n := range []int{chunk0, chunk1} {
			n = min(n, len(parts[i]))
			out = append(out, parts[i][:n]...)
			parts[i] = parts[i][n:]
		}
	}
	return out
}

// orderFree renders the state that must not depend on partition
// interleaving: all of it, zones with their per-bucket peaks and loads
// included, but the alert history, which numbers alerts in the order they
// were raised; and each zone's occupancy figures over the longest window.
func orderFree(t *testing.T, e *Engine) string {
	t.Helper()
	var b strings.Builder
	err := e.Dump(func(k string, v []byte) error {
		if !strings.HasPrefix(k, alertLogPrefix) {
			fmt.Fprintf(&b, "%s=%q\n", k, v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, z := range e.Zones() {
		o, err := e.Occupancy(z, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s current=%d peak=%d mean=%v entries=%d exits=%d dwell=%s\n",
			z, o.Current, o.Peak, o.Mean, o.Entries, o.Exits, o.MeanDwell)
	}
	return b.String()
}

func TestRebuild_does_not_depend_on_partition_interleaving(t *testing.T) {
	t.Parallel()
	records := testStream(1)
	parts := []store.Partition{records[0].at.Partition, records[1].at.Partition}
	forEachStore(t, everyStore, func(t *testing.T, b backend) {
		open := b.Fresh(t)
		st := open()
		live := openEngine(t, st)
		live.ExpectPartitions(parts)
		run(t, live, records, 100)
		want := orderFree(t, live)
		if !strings.Contains(want, "alert/open/") || !strings.Contains(want, `\"peak\":`) || strings.Contains(want, "peak=0 ") {
			t.Fatalf("state too thin to compare:\n%s", want)
		}
		// A rebuild may start from the store's copy of the live state
		// instead: it must be the same state.
		restored, _ := restart(t, live, st, open)
		if got := orderFree(t, restored); got != want {
			t.Errorf("restored live state differs from the live run:\n%s", firstDiff(got, want))
		}
		for _, chunks := range [][2]int{{40, 25}, {1, 300}, {500, 7}} {
			t.Run(fmt.Sprintf("chunks_%d_%d", chunks[0], chunks[1]), func(t *testing.T) {
				t.Parallel()
				open := b.Fresh(t)
				st := open()
				rebuilt := openEngine(t, st)
				rebuilt.ExpectPartitions(parts)
				run(t, rebuilt, reinterleave(records, chunks[0], chunks[1]), 100)
				if got := orderFree(t, rebuilt); got != want {
					t.Errorf("state differs from the live run:\n%s", firstDiff(got, want))
				}
				restored, _ := restart(t, rebuilt, st, open)
				if got := orderFree(t, restored); got != want {
					t.Errorf("state restored from the rebuild's store differs from the live run:\n%s", firstDiff(got, want))
				}
			})
		}
	})
}
