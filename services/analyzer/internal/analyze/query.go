package analyze

import (
	"maps"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/alert"
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
