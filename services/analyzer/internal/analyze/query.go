package analyze

import (
	"maps"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/alert"
	"github.com/bluestream/bluestream/services/analyzer/internal/alertlog"
	"github.com/bluestream/bluestream/services/analyzer/internal/projection"
	"github.com/bluestream/bluestream/services/analyzer/internal/store"
)

// Device returns one device; restricted and unknown devices are not found.
func (e *Engine) Device(id string) (projection.DeviceView, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.proj.Device(id)
}

// Devices returns a page of devices; see projection.DeviceFilter.
func (e *Engine) Devices(f projection.DeviceFilter) (page []projection.DeviceView, next string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.proj.Devices(f)
}

// Occupancy reports a zone over the window ending at the newest event time.
func (e *Engine) Occupancy(zoneKey string, window time.Duration) (projection.Occupancy, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.proj.Occupancy(zoneKey, e.proj.Watermark(), window)
}

// Zones lists every zone key entered so far.
func (e *Engine) Zones() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.proj.Zones()
}

// OpenAlerts lists open alerts, oldest first.
func (e *Engine) OpenAlerts() []alert.Alert {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.monitor.Open()
}

// Watermark is the newest event time applied: how fresh the projections are.
func (e *Engine) Watermark() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.proj.Watermark()
}

// PartitionTimes returns the newest event time read from each partition;
// the dashboard shows it as pipeline freshness, and the oldest of them is
// the low watermark at which timeouts fire.
func (e *Engine) PartitionTimes() map[store.Partition]time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return maps.Clone(e.clock.times)
}

// AlertsSince returns up to limit alert events after sequence number seq
// (0: from the oldest kept), oldest first. complete is false when events
// after seq were dropped from the history: a watcher must start over from
// OpenAlerts. changed is closed when newer events arrive, so a watcher
// can wait for it and call again.
func (e *Engine) AlertsSince(seq uint64, limit int) (entries []alertlog.Entry, complete bool, changed <-chan struct{}) {
	e.mu.Lock()
	defer e.mu.Unlock()
	entries, complete = e.history.Since(seq, limit)
	return entries, complete, e.history.Changed()
}
