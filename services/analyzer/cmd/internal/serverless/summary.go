package serverless

import (
	"fmt"
	"log/slog"
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
