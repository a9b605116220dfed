package serverless

import (
	"fmt"
	"log/slog"
	"time"
)

// Summary is what one batch did: the ReturnValue of an Azure invocation
// and the "summary" of a Lambda batch's log line.
type Summary struct {
	Records int `json:"records"`
	// Applied counts records that changed the projections now.
	Applied int `json:"applied"`
	// Duplicates counts records an earlier delivery already committed.
	Duplicates int `json:"duplicates"`
	// Alerts counts the alert events published.
	Alerts int `json:"alerts"`
	// DeadLettered counts poison records published to the DLQ by this call.
	DeadLettered int `json:"deadLettered"`
}

func (s Summary) String() string {
	return fmt.Sprintf("applied %d of %d records (%d duplicates): %d alerts, %d dead-lettered",
		s.Applied, s.Records, s.Duplicates, s.Alerts, s.DeadLettered)
}

// LogValue implements slog.LogValuer.
func (s Summary) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("records", s.Records), slog.Int("applied", s.Applied), slog.Int("duplicates", s.Duplicates),
		slog.Int("alerts", s.Alerts), slog.Int("dead_lettered", s.DeadLettered))
}

// TickSummary is what one scheduled tick did.
type TickSummary struct {
	// Behind is true when the input held records not committed yet, so
	// the tick left event time alone.
	Behind bool `json:"behind"`
	// At is the event time the engine ticked to.
	At time.Time `json:"at,omitzero"`
	// Alerts counts the alert events published (silent devices and
	// gateways).
	Alerts int `json:"alerts"`
	// Disappeared counts devices whose presence timed out, restricted
	// devices left out.
	Disappeared int `json:"disappeared"`
}

func (s TickSummary) String() string {
	if s.Behind {
		return "tick skipped: the input has records not applied yet"
	}
	return fmt.Sprintf("ticked to %s: %d alerts, %d devices disappeared", s.At.Format(time.RFC3339), s.Alerts, s.Disappeared)
}

// LogValue implements slog.LogValuer.
func (s TickSummary) LogValue() slog.Value {
	return slog.GroupValue(slog.Bool("behind", s.Behind), slog.Time("at", s.At), slog.Int("alerts", s.Alerts),
		slog.Int("disappeared", s.Disappeared))
}
