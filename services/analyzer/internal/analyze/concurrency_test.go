package analyze

import (
	"sync"
	"testing"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/projection"
)

// TestQueries_run_safely_while_records_apply is meant for -race: RPC
// handlers query the engine while the consumer applies and commits. On a
// remote store a commit takes long enough for queries to land inside it.
func TestQueries_run_safely_while_records_apply(t *testing.T) {
	t.Parallel()
	records := testStream(2)
	forEachStore(t, everyStore, func(t *testing.T, b backend) {
		open := b.Fresh(t)
		st := open()
		e := openEngine(t, st)
		var wg sync.WaitGroup
		done := make(chan struct{})
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				e.Devices(projection.DeviceFilter{Limit: 5})
				e.Device("dev-01")
				for _, z := range e.Zones() {
					if _, err := e.Occupancy(z, 10*time.Minute); err != nil {
						t.Error(err)
					}
				}
				e.OpenAlerts()
				e.AlertsSince(0, 10)
				e.PartitionTimes()
				e.Offsets()
			}
		})
		run(t, e, records, 50)
		close(done)
		wg.Wait()
		if page, _ := e.Devices(projection.DeviceFilter{}); len(page) == 0 {
			t.Error("no devices after the run")
		}
		restart(t, e, st, open)
	})
}
