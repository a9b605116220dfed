package registry

import (
	"fmt"
	"sync"
	"time"
)

// Registry holds the projection and decides commands against it. It is safe for
// concurrent use: the enricher queries it while registry events are applied.
type Registry struct {
	mu    sync.RWMutex
	state *state
	now   func() time.Time
}

// New returns an empty registry that stamps events with clock's time.
func New(clock func() time.Time) *Registry {
	return &Registry{state: newState(), now: clock}
}

// Decide checks a command against the current projection and returns the events it
// produces, without applying them: the caller appends them to registry.events.v1 and
// the projection learns them when it applies them, as it would after a replay.
// On error nothing is returned and nothing changes.
func (r *Registry) Decide(cmd Command) ([]Event, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return decide(r.state, cmd, r.now())
}

// Execute decides a command and applies its events at once, under one lock, so two
// concurrent commands on the same aggregate cannot both pass the version check. Use it
// where this registry is the single writer; on error nothing changes.
func (r *Registry) Execute(cmd Command) ([]Event, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	events, err := decide(r.state, cmd, r.now())
	if err != nil {
		return nil, err
	}
	for _, e := range events {
		if err := r.state.apply(e); err != nil {
			// decide produced these events from this very state; failing here is a bug.
			panic(fmt.Sprintf("registry: applying freshly decided %T: %v", e, err))
		}
	}
	return events, nil
}

// Apply folds an event from the log into the projection. Redelivered events (at or
// below the aggregate's version) are skipped; a gap in versions is an error.
func (r *Registry) Apply(e Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state.apply(e)
}

// Replay applies a history in order, stopping at the first error.
func (r *Registry) Replay(events []Event) error {
	for i, e := range events {
		if err := r.Apply(e); err != nil {
			return fmt.Errorf("replaying event %d: %w", i, err)
		}
	}
	return nil
}

func decide(s *state, cmd Command, now time.Time) ([]Event, error) {
	if cmd == nil {
		return nil, invalid("command", "must not be nil")
	}
	return cmd.decide(s, now)
}
