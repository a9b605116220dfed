package server

import (
	"sync"

	"github.com/bluestream/bluestream/services/mirror-health/internal/status"
)

// Hub holds the newest evaluation and wakes watchers when a new one arrives.
// Watchers that fall behind skip to the newest report instead of queueing:
// a health stream is about now, not about every past moment.
type Hub struct {
	mu      sync.Mutex
	latest  status.Report
	seq     uint64
	changed chan struct{}
}

// NewHub returns a hub that has seen no evaluation yet.
func NewHub() *Hub { return &Hub{changed: make(chan struct{})} }

// Publish makes r the newest evaluation and wakes every watcher.
func (h *Hub) Publish(r status.Report) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.latest = r
	h.seq++
	close(h.changed)
	h.changed = make(chan struct{})
}

// Latest returns the newest evaluation and its sequence number (0 before the
// first), and a channel that is closed when a newer one is published.
func (h *Hub) Latest() (status.Report, uint64, <-chan struct{}) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.latest, h.seq, h.changed
}
