package serverless

import (
	"fmt"
	"log/slog"
)

// Summary is what one batch did: the ReturnValue of an Azure invocation
// and the "summary" of a Lambda batch's log line.
type Summary struct {
	Records      int `json:"records"`
	Readings     int `json:"readings"`
	DeadLettered int `json:"deadLettered"`
}

func (s Summary) String() string {
	return fmt.Sprintf("decoded %d records: %d readings, %d dead-lettered", s.Records, s.Readings, s.DeadLettered)
}

// LogValue implements slog.LogValuer.
func (s Summary) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("records", s.Records), slog.Int("readings", s.Readings), slog.Int("dead_lettered", s.DeadLettered))
}
