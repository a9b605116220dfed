package analyze

import "github.com/bluestream/bluestream/services/analyzer/internal/alert"

// OpenAlertsAt returns the open alerts together with the sequence number
// of the newest alert event they reflect, read under one lock. A watcher
// sends the snapshot and then AlertsSince(seq): nothing falls between the
// two and nothing is sent twice.
func (e *Engine) OpenAlertsAt() (open []alert.Alert, seq uint64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.monitor.Open(), e.history.LastSeq()
}
