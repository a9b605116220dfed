// Command transformer-lambda is the transformer as an AWS Lambda function on
// the provided.al2023 runtime, triggered by an Amazon MSK or self-managed
// Kafka event source mapping on ble.advertisements.v1. It publishes
// ReadingDecoded on ble.readings.v1 to BLUESTREAM_KAFKA_BROKERS and reports
// poison records as batch item failures. Build it with
//
//	CGO_ENABLED=0 go build -tags lambda.norpc -o bootstrap .
//
// (see build.sh, which also zips it).
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/bluestream/bluestream/services/transformer/internal/serverless"
	"github.com/bluestream/bluestream/services/transformer/internal/serverless/awslambda"
)

const program = "transformer-lambda"

func main() {
	ctx := context.Background()
	cfg, err := serverless.Load(program, os.LookupEnv)
	if err != nil {
		slog.Error("exiting", "err", err)
		os.Exit(1)
	}
	rt, err := serverless.Open(ctx, program, cfg)
	if err != nil {
		slog.Error("exiting", "err", err)
		os.Exit(1)
	}
	h := &awslambda.Handler{Core: rt.Handler, Client: rt.Client.Client, Logger: rt.Logger}
	lambda.StartWithOptions(
		func(ctx context.Context, ev awslambda.Event) (awslambda.Response, error) {
			// Spans leave before the answer: Lambda freezes the instance then.
			defer rt.Flush(ctx)
			return h.Handle(ctx, ev)
		},
		// SIGTERM before the instance is recycled: deliver what is buffered.
		lambda.WithEnableSIGTERM(func() { _ = rt.Close(context.Background()) }),
	)
}
