package awslambda

import (
	"encoding/json"

	"github.com/aws/aws-lambda-go/events"
)

// ScheduledEvent is what an EventBridge schedule rule delivers:
// "source":"aws.events", "detail-type":"Scheduled Event", and the time the
// schedule fired.
type ScheduledEvent = events.EventBridgeEvent

// Event sources as the payloads name them.
const (
	sourceMSK           = "aws:kafka"
	sourceSelfManaged   = "SelfManagedKafka"
	sourceSchedule      = "aws.events"
	detailTypeScheduled = "Scheduled Event"
)

// envelope holds the fields that tell the payloads apart.
type envelope struct {
	EventSource string `json:"eventSource"`
	Source      string `json:"source"`
	DetailType  string `json:"detail-type"`
}

// kind names the payload: "kafka", "schedule" or "" for anything else.
func kind(payload json.RawMessage) string {
	var env envelope
	if json.Unmarshal(payload, &env) != nil {
		return ""
	}
	switch {
	case env.EventSource == sourceMSK || env.EventSource == sourceSelfManaged:
		return "kafka"
	case env.Source == sourceSchedule && env.DetailType == detailTypeScheduled:
		return "schedule"
	}
	return ""
}
