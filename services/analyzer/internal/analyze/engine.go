package analyze

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/alert"
	"github.com/bluestream/bluestream/services/analyzer/internal/alertlog"
	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
	"github.com/bluestream/bluestream/services/analyzer/internal/projection"
	"github.com/bluestream/bluestream/services/analyzer/internal/store"
)

// Key prefixes of the engine's entries in the store.
const (
	projectionPrefix = "proj/"
	alertPrefix      = "alert/"
	alertLogPrefix   = "alertlog/"
	erasedPrefix     = "erased/"
)

// ErrInvalid wraps the reason a record could not be applied. Its offset
// counts as consumed: the adapter sends the record to the dead-letter topic
// and a restart does not see it again.
var ErrInvalid = errors.New("invalid record")

// Offset is the position of one input record.
type Offset struct {
	Partition store.Partition
	Offset    int64
}

// Output is what applying a record produced.
type Output struct {
	Alerts []alert.Event
	// Presence holds lifecycle events of devices that may be shown
	// individually; restricted devices' events are left out.
	Presence []projection.Event
	// Duplicate is true when the record was applied before (a replay after
	// a restart overlapping the committed offsets) and was skipped.
	Duplicate bool
	// Applied is the event time of the reading the record put into the
	// projection, zero when it put none (a duplicate, a reading of an erased
	// subject, an erasure): adapters measure freshness from it.
	Applied time.Time
}

// Engine is safe for concurrent use: queries may run while records apply.
type Engine struct {
	mu      sync.Mutex
	cfg     Config
	store   store.Store
	proj    *projection.Projection
	monitor *alert.Monitor
	history *alertlog.Log
	// erased holds tombstones of erased pseudonyms so readings still in
	// flight are dropped. The pseudonym's key is destroyed, so a tombstone
	// identifies nobody.
	erased  map[string]bool
	offsets map[store.Partition]int64
	clock   partitionClock

	dirtyOffsets map[store.Partition]struct{}
	dirtyErased  map[string]struct{}
	// pending holds a batch whose commit failed; it goes out first next time.
	pending []store.Mutation
}

// Open builds an engine on st, restoring whatever st holds.
func Open(ctx context.Context, st store.Store, cfg Config) (*Engine, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	proj, err := projection.New(cfg.Projection)
	if err != nil {
		return nil, err
	}
	mon, err := alert.New(cfg.Alerts)
	if err != nil {
		return nil, err
	}
	e := &Engine{
		cfg: cfg, store: st, proj: proj, monitor: mon, history: alertlog.New(cfg.AlertHistory),
		erased:       make(map[string]bool),
		dirtyOffsets: make(map[store.Partition]struct{}),
		dirtyErased:  make(map[string]struct{}),
	}
	if err := e.restore(ctx); err != nil {
		return nil, fmt.Errorf("restoring analyzer state: %w", err)
	}
	return e, nil
}

func (e *Engine) restore(ctx context.Context) error {
	loaders := []struct {
		prefix string
		load   func(key string, value []byte) error
	}{
		{projectionPrefix, e.proj.Load},
		{alertPrefix, e.monitor.Load},
		{alertLogPrefix, e.history.Load},
		{erasedPrefix, func(key string, _ []byte) error { e.erased[key] = true; return nil }},
		{clockKey, func(_ string, value []byte) error { return e.clock.decode(value) }},
	}
	for _, l := range loaders {
		err := e.store.Scan(ctx, l.prefix, func(key string, value []byte) error {
			return l.load(strings.TrimPrefix(key, l.prefix), value)
		})
		if err != nil {
			return err
		}
	}
	offsets, err := e.store.Offsets(ctx)
	e.offsets = offsets
	return err
}

// Offsets returns the next offset to consume for every partition seen;
// adapters seek there after Open.
func (e *Engine) Offsets() map[store.Partition]int64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return maps.Clone(e.offsets)
}

// claim records that the record at o is being applied; false means it was
// applied before.
func (e *Engine) claim(o Offset) bool {
	if next, ok := e.offsets[o.Partition]; ok && o.Offset < next {
		return false
	}
	e.offsets[o.Partition] = o.Offset + 1
	e.dirtyOffsets[o.Partition] = struct{}{}
	return true
}

// ApplyReading applies one enriched reading.
func (e *Engine) ApplyReading(at Offset, r enriched.Reading) (Output, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.claim(at) {
		return Output{Duplicate: true}, nil
	}
	if err := r.Validate(); err != nil {
		return Output{}, fmt.Errorf("%w: reading at %s@%d: %w", ErrInvalid, at.Partition, at.Offset, err)
	}
	if e.erased[r.DeviceID] {
		return Output{}, nil // in flight when its subject was erased
	}
	e.clock.observe(at.Partition, r.EventTime)
	low := e.clock.low().Add(-e.cfg.Lateness)
	out := e.tick(low)
	if !e.clock.low().IsZero() {
		e.proj.Settle(low)
	}
	out.Presence = append(out.Presence, visible(e.proj.Apply(r))...)
	expected, _ := e.proj.ExpectedInterval(r.DeviceID)
	observed := e.monitor.Observe(r, expected)
	e.history.Append(observed)
	out.Alerts = append(out.Alerts, observed...)
	out.Applied = r.EventTime
	return out, nil
}

// ApplyErasure removes the subjects' projections and resolves their alerts.
func (e *Engine) ApplyErasure(at Offset, er enriched.Erasure) (Output, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.claim(at) {
		return Output{Duplicate: true}, nil
	}
	if err := er.Validate(); err != nil {
		return Output{}, fmt.Errorf("%w: erasure at %s@%d: %w", ErrInvalid, at.Partition, at.Offset, err)
	}
	when := er.RequestedAt
	if when.IsZero() {
		when = e.proj.Watermark() // resolve the subject's alerts "now" in event time
	}
	// The resolutions are published so consumers close the alerts, but not
	// kept in the history, which must forget the subject.
	var out Output
	for _, id := range er.Subjects {
		e.proj.Erase(id)
		e.history.Erase(id)
		out.Alerts = append(out.Alerts, e.monitor.Erase(id, when)...)
		e.erased[id] = true
		e.dirtyErased[id] = struct{}{}
	}
	return out, nil
}

// Tick advances event time when no records arrive (an idle stream), so
// timeouts still fire. Adapters call it with the wall clock less the same
// lateness, and only while every partition is caught up (a poll returned
// nothing): under consumer lag, ticking at the wall clock would time out
// devices whose readings are still queued. Timeouts are dated at the
// silent device's last sighting, not at the tick, so a rebuild that ticks
// differently still reaches the same sessions and alerts.
func (e *Engine) Tick(now time.Time) Output {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.tick(now)
}

func (e *Engine) tick(now time.Time) Output {
	out := Output{
		Presence: visible(e.proj.Tick(now)),
		Alerts:   e.monitor.Tick(now),
	}
	e.history.Append(out.Alerts)
	return out
}

// visible drops events of restricted devices, which may only be counted.
func visible(events []projection.Event) []projection.Event {
	return slices.DeleteFunc(events, func(ev projection.Event) bool { return ev.Restricted })
}
