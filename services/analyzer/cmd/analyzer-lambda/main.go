// Command analyzer-lambda is the analyzer as an AWS Lambda function on the
// provided.al2023 runtime. An Amazon MSK or self-managed Kafka event source
// mapping on azure.ble.enriched.v1 (the mirror side) invokes it with
// batches: each is applied to the engine opened on the PostgreSQL store at
// BLUESTREAM_STORE_DSN, its alerts are published on analyzer.alerts.v1 to
// BLUESTREAM_KAFKA_BROKERS, and state and offsets are committed together;
// poison records come back as batch item failures. An EventBridge schedule
// invokes it too, every minute: it then ticks the engine at the wall clock,
// so devices that fell silent time out without new readings. Build it with
//
//	CGO_ENABLED=0 go build -tags lambda.norpc -o bootstrap .
//
// (see deploy/aws/build.sh, which also zips it).
package main

import (
	"context"

	"github.com/bluestream/bluestream/platform/serverless/awslambda"
	"github.com/bluestream/bluestream/services/analyzer/cmd/internal/serverless"
)

const program = "analyzer-lambda"

func main() {
	awslambda.Main(func(ctx context.Context) (awslambda.Function, error) {
		rt, err := serverless.OpenEnv(ctx, program)
		if err != nil {
			return awslambda.Function{}, err
		}
		h := &awslambda.Handler{Core: rt.Handler, Ticker: rt.Handler, Logger: rt.Logger}
		return awslambda.Function{Handler: h, Instance: rt}, nil
	})
}
