package analyze

import (
	"slices"

	"github.com/bluestream/bluestream/services/analyzer/internal/store"
)

// ExpectPartitions tells the engine every partition its adapter consumes.
// Readings then fire no timeouts until each of them has been read once, so
// a live run that happens to fetch one partition first and a rebuild that
// fetches another reach the same state. Idle ticks are unaffected.
func (e *Engine) ExpectPartitions(ps []store.Partition) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.clock.expected = slices.Clone(ps)
}
