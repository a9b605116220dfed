package awslambda

import (
	"context"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/services/transformer/internal/serverless"
)

// Handler is the Lambda function: pass its Handle to lambda.Start.
type Handler struct {
	Core   *serverless.Handler
	Client *kgo.Client
	Logger *slog.Logger
}

// Handle transforms one Kafka event. Readings are acknowledged by the
// brokers before it returns; poison records are reported as batch item
// failures. An error (decoder shutting down, brokers refusing the readings)
// fails the whole invocation, and the event source retries the batch.
func (h *Handler) Handle(ctx context.Context, ev events.KafkaEvent) (Response, error) {
	recs, groups, bad := records(ev)
	res, err := h.Core.Process(ctx, recs)
	if err != nil {
		return Response{}, err
	}
	if err := serverless.Publish(ctx, h.Client, res.Outputs); err != nil {
		return Response{}, err
	}
	resp := Response{BatchItemFailures: []BatchItemFailure{}}
	for _, b := range bad {
		h.Logger.WarnContext(ctx, "poison record", "topic_partition", b.id.TopicPartition, "offset", b.id.Offset, "err", b.err)
		resp.BatchItemFailures = append(resp.BatchItemFailures, BatchItemFailure{b.id})
	}
	for _, f := range res.Poison {
		id := ItemIdentifier{TopicPartition: groups[f.Record], Offset: f.Record.Offset}
		h.Logger.WarnContext(ctx, "poison record", "topic_partition", id.TopicPartition, "offset", id.Offset, "err", f.Err)
		resp.BatchItemFailures = append(resp.BatchItemFailures, BatchItemFailure{id})
	}
	h.Logger.InfoContext(ctx, "batch done", "records", len(recs)+len(bad), "published", len(res.Outputs), "failed", len(resp.BatchItemFailures))
	return resp, nil
}
