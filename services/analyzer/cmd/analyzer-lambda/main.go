// Command analyzer-lambda is the analyzer as an AWS Lambda function on the
// provided.al2023 runtime, triggered by an Amazon MSK or self-managed Kafka
// event source mapping on azure.ble.enriched.v1 (the mirror side). Each
// batch is applied to the engine opened on the PostgreSQL store at
// BLUESTREAM_STORE_DSN, its alerts are published on analyzer.alerts.v1 to
// BLUESTREAM_KAFKA_BROKERS, and state and offsets are committed together;
// poison records come back as batch item failures. Build it with
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

	"github.com/bluestream/bluestream/services/analyzer/cmd/internal/serverless"
	"github.com/bluestream/bluestream/services/analyzer/cmd/internal/serverless/awslambda"
)

const program = "analyzer-lambda"

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
	h := &awslambda.Handler{Core: rt.Handler, Logger: rt.Logger}
	lambda.StartWithOptions(
		func(ctx context.Context, ev awslambda.Event) (awslambda.Response, error) {
			// Spans leave before the answer: Lambda freezes the instance then.
			defer rt.Flush(ctx)
			return h.Handle(ctx, ev)
		},
		// SIGTERM before the instance is recycled: close the store's
		// connections and deliver buffered telemetry.
		lambda.WithEnableSIGTERM(func() { _ = rt.Close(context.Background()) }),
	)
}
