package awslambda

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/bluestream/bluestream/platform/serverless"
)

// Function is a Lambda function: its handler and the instance behind it.
type Function struct {
	Handler  *Handler
	Instance serverless.Instance
}

// Main runs a function on the Lambda Runtime API until the instance is
// recycled. open builds the instance once, from the environment; if it
// fails the process exits and Lambda reports an init error. Build the
// program as a static binary named bootstrap with -tags lambda.norpc.
func Main(open func(context.Context) (Function, error)) {
	fn, err := open(context.Background())
	if err != nil {
		slog.Error("exiting", "err", err)
		os.Exit(1)
	}
	lambda.StartWithOptions(
		func(ctx context.Context, payload json.RawMessage) (any, error) {
			// Spans leave before the answer: Lambda freezes the instance then.
			defer func() { _ = fn.Instance.Flush(ctx) }()
			return fn.Handler.Invoke(ctx, payload)
		},
		// SIGTERM before the instance is recycled: close connections and
		// deliver buffered telemetry.
		lambda.WithEnableSIGTERM(func() { _ = fn.Instance.Close(context.Background()) }),
	)
}
