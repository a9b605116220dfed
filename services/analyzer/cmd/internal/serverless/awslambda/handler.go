package awslambda

import (
	"cmp"
	"context"
	"log/slog"
	"slices"

	"github.com/aws/aws-lambda-go/events"

	"github.com/bluestream/bluestream/services/analyzer/cmd/internal/serverless"
)

// Handler is the Lambda function: pass its Handle to lambda.Start.
type Handler struct {
	Core   *serverless.Handler
	Logger *slog.Logger
}

// Handle applies one Kafka event. Alerts are acknowledged by the brokers and
// state and offsets committed before it returns; poison records are
// reported as batch item failures. An error (store or brokers unreachable,
// alerts refused) fails the whole invocation and commits nothing, and the
// event source retries the batch; records a previous delivery committed are
// then recognised by their offsets and counted once.
func (h *Handler) Handle(ctx context.Context, ev events.KafkaEvent) (Response, error) {
	recs, groups, bad := records(ev)
	res, err := h.Core.Process(ctx, recs)
	if err != nil {
		return Response{}, err
	}
	resp := Response{BatchItemFailures: []BatchItemFailure{}}
	// Records that are not even base64 stay unconsumed: they are reported,
	// and their offsets advance once a later record of the partition commits.
	for _, b := range bad {
		h.Logger.WarnContext(ctx, "poison record", "topic_partition", b.id.TopicPartition, "offset", b.id.Offset, "err", b.err)
		resp.BatchItemFailures = append(resp.BatchItemFailures, BatchItemFailure{b.id})
	}
	for _, f := range res.Poison {
		id := ItemIdentifier{TopicPartition: groups[f.Record], Offset: f.Record.Offset}
		h.Logger.WarnContext(ctx, "poison record", "topic_partition", id.TopicPartition, "offset", id.Offset, "redelivered", f.Redelivered, "err", f.Err)
		resp.BatchItemFailures = append(resp.BatchItemFailures, BatchItemFailure{id})
	}
	slices.SortFunc(resp.BatchItemFailures, func(a, b BatchItemFailure) int {
		return cmp.Or(cmp.Compare(a.ItemIdentifier.TopicPartition, b.ItemIdentifier.TopicPartition),
			cmp.Compare(a.ItemIdentifier.Offset, b.ItemIdentifier.Offset))
	})
	h.Logger.InfoContext(ctx, "batch done", "records", res.Records+len(bad), "applied", res.Applied,
		"duplicates", res.Duplicates, "alerts", res.Alerts, "failed", len(resp.BatchItemFailures))
	return resp, nil
}
