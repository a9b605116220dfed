package awslambda

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"github.com/bluestream/bluestream/platform/serverless"
)

// Handler is the Lambda function of one service.
type Handler struct {
	Core serverless.Core
	// Ticker serves scheduled events; nil makes them an error, for a
	// function that no schedule should invoke.
	Ticker serverless.Ticker
	Logger *slog.Logger
}

// Invoke handles one payload, whichever source sent it: a Kafka event
// answers with a Response, a scheduled event with the tick's Summary. An
// error fails the invocation; the Kafka event source then retries the whole
// batch.
func (h *Handler) Invoke(ctx context.Context, payload json.RawMessage) (any, error) {
	switch kind(payload) {
	case "kafka":
		var ev Event
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, fmt.Errorf("reading kafka event: %w", err)
		}
		return h.Handle(ctx, ev)
	case "schedule":
		var ev ScheduledEvent
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, fmt.Errorf("reading scheduled event: %w", err)
		}
		return h.Tick(ctx, ev)
	}
	return nil, errors.New("unrecognised event: want a Kafka event source batch (aws:kafka, SelfManagedKafka) or an EventBridge Scheduled Event")
}

// Handle runs the core on one Kafka event. Poison records, and records
// that are not even base64, are reported as batch item failures on every
// delivery.
func (h *Handler) Handle(ctx context.Context, ev Event) (Response, error) {
	recs, groups, bad := records(ev)
	res, err := h.Core.Process(ctx, serverless.Batch{Records: recs})
	if err != nil {
		return Response{}, err
	}
	resp := Response{BatchItemFailures: []BatchItemFailure{}}
	for _, b := range bad {
		h.Logger.WarnContext(ctx, "poison record", "topic_partition", b.id.TopicPartition, "offset", b.id.Offset, "err", b.err)
		resp.BatchItemFailures = append(resp.BatchItemFailures, BatchItemFailure{b.id})
	}
	for _, f := range res.Poison {
		id := ItemIdentifier{TopicPartition: groups[f.Record], Offset: f.Record.Offset}
		h.Logger.WarnContext(ctx, "poison record", "topic_partition", id.TopicPartition, "offset", id.Offset,
			"redelivered", f.Redelivered, "err", f.Err)
		resp.BatchItemFailures = append(resp.BatchItemFailures, BatchItemFailure{id})
	}
	slices.SortFunc(resp.BatchItemFailures, func(a, b BatchItemFailure) int {
		return cmp.Or(cmp.Compare(a.ItemIdentifier.TopicPartition, b.ItemIdentifier.TopicPartition),
			cmp.Compare(a.ItemIdentifier.Offset, b.ItemIdentifier.Offset))
	})
	h.Logger.InfoContext(ctx, "batch done", "records", len(recs)+len(bad), "failed", len(resp.BatchItemFailures), "summary", res.Summary)
	return resp, nil
}

// Tick runs the Ticker for one scheduled event.
func (h *Handler) Tick(ctx context.Context, ev ScheduledEvent) (serverless.Summary, error) {
	if h.Ticker == nil {
		return nil, fmt.Errorf("scheduled event %s: this function has nothing to do on a schedule", ev.ID)
	}
	sum, err := h.Ticker.Tick(ctx)
	if err != nil {
		return nil, fmt.Errorf("scheduled event %s at %s: %w", ev.ID, ev.Time.Format("2006-01-02T15:04:05Z07:00"), err)
	}
	h.Logger.InfoContext(ctx, "tick done", "scheduled_at", ev.Time, "summary", sum)
	return sum, nil
}
