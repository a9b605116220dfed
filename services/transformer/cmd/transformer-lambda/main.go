// Command transformer-lambda is the transformer as an AWS Lambda function on
// the provided.al2023 runtime, triggered by an Amazon MSK or self-managed
// Kafka event source mapping on ble.advertisements.v1. It publishes
// ReadingDecoded on ble.readings.v1 to BLUESTREAM_KAFKA_BROKERS and reports
// poison records as batch item failures. Build it with
//
//	CGO_ENABLED=0 go build -tags lambda.norpc -o bootstrap .
//
// (see deploy/aws/build.sh, which also zips it).
package main

import (
	"context"

	"github.com/bluestream/bluestream/platform/serverless/awslambda"
	"github.com/bluestream/bluestream/services/transformer/internal/serverless"
)

const program = "transformer-lambda"

func main() {
	awslambda.Main(func(ctx context.Context) (awslambda.Function, error) {
		rt, err := serverless.OpenEnv(ctx, program)
		if err != nil {
			return awslambda.Function{}, err
		}
		return awslambda.Function{Handler: &awslambda.Handler{Core: rt.Handler, Logger: rt.Logger}, Instance: rt}, nil
	})
}
