package registry

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Registry holds the projection and decides commands against it. It is safe for
// concurrent use: the enricher queries it while registry events are applied.
type Registry struct {
	mu    sync.RWMutex
	state *state
	now   func() time.Time
	newID func() string
}

// Option configures a Registry.
type Option func(*Registry)

// WithSubjectIDs sets the source of new subject ids. The default draws 128 random
// bits from crypto/rand; tests may pass a counter to get readable ids.
func WithSubjectIDs(next func() string) Option {
	return func(r *Registry) { r.newID = next }
}

// New returns an empty registry that stamps events with clock's time.
func New(clock func() time.Time, opts ...Option) *Registry {
	r := &Registry{state: newState(), now: clock, newID: randomSubjectID}
	for _, opt := range opts {
		opt(r)
	}
	return r
}

// Decide checks a command against the current projection and returns the events it
// produces, without applying them: the caller appends them to registry.events.v1 and
// the projection learns them when it applies them, as it would after a replay.
// On error nothing is returned and nothing changes.
func (r *Registry) Decide(cmd Command) ([]Event, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return decide(r.state, cmd, r.context())
}

// Execute decides a command and applies its events at once, under one lock, so two
// concurrent commands on the same aggregate cannot both pass the version check. Use it
// where this registry is the single writer; on error nothing changes.
func (r *Registry) Execute(cmd Command) ([]Event, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	events, err := decide(r.state, cmd, r.context())
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

// decision is what a command may draw on besides the state: the time and fresh ids.
type decision struct {
	now   time.Time
	newID func() string
}

func (r *Registry) context() decision { return decision{now: r.now(), newID: r.newID} }

func decide(s *state, cmd Command, dc decision) ([]Event, error) {
	if cmd == nil {
		return nil, invalid("command", "must not be nil")
	}
	return cmd.decide(s, dc)
}

// randomSubjectID returns "subj_" and 26 base32 characters (128 random bits).
func randomSubjectID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms (Go 1.24+)
	return "subj_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}
