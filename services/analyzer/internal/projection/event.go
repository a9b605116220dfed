package projection

import "time"

// EventKind names a presence lifecycle step.
type EventKind uint8

// Presence lifecycle steps. A session is Appeared, then any number of
// ZoneEntered / ZoneLeft pairs (MovedZone marks a change between two zones),
// then Disappeared.
const (
	Appeared EventKind = iota + 1
	ZoneEntered
	ZoneLeft
	MovedZone
	Disappeared
)

var eventKindNames = [...]string{"", "appeared", "zone_entered", "zone_left", "moved_zone", "disappeared"}

// String returns the snake_case name used in logs and on the wire.
func (k EventKind) String() string {
	if int(k) < len(eventKindNames) && k > 0 {
		return eventKindNames[k]
	}
	return "unknown"
}

// Event is one presence change, stamped with event time.
type Event struct {
	Kind     EventKind
	DeviceID string
	At       time.Time
	Zone     string // zone entered, left or moved to; key form
	FromZone string // MovedZone only
	// Dwell is the time spent in the zone (ZoneLeft, MovedZone) or the
	// whole session (Disappeared).
	Dwell time.Duration
	// Restricted events are for aggregates only; publish them individually
	// and the works-council rule is broken.
	Restricted bool
}
