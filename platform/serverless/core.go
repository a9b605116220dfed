package serverless

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Core is a service's work on one batch of records, whatever delivered it.
type Core interface {
	// Process handles b. An error means the whole batch must be delivered
	// again and nothing of it may count as done; a record that no delivery
	// can ever handle is not an error but a Failure in the Result.
	Process(ctx context.Context, b Batch) (Result, error)
}

// Ticker is a core with work that falls due with time rather than with
// records (timeouts of silent devices): a schedule invokes it.
type Ticker interface {
	Tick(ctx context.Context) (Summary, error)
}

// Batch is one delivery of records, ordered by topic, partition and offset.
type Batch struct {
	Records []*kgo.Record
	// DeadLetter asks the core to publish poison records to their topic's
	// dead-letter queue before it returns. A platform that parks failed
	// records itself (Lambda's on-failure destination) leaves it false; one
	// that would otherwise redeliver them forever (Azure's Kafka trigger
	// with commitOnFailure false) sets it.
	DeadLetter bool
}

// Result is what a batch did.
type Result struct {
	// Poison are the records that fail on every delivery, in input order.
	Poison []Failure
	// Summary is the core's account of the batch, for logs and for the
	// platform's answer.
	Summary Summary
}

// Failure is a poison record and why it can never be handled.
type Failure struct {
	Record *kgo.Record
	Err    error
	// Redelivered is true when an earlier delivery already consumed the
	// record (and, when dead-lettering, sent it to the DLQ).
	Redelivered bool
}

// Summary counts what an invocation did in the core's own terms. Azure
// answers it as the invocation's ReturnValue, so it must marshal to JSON.
type Summary interface {
	fmt.Stringer
	slog.LogValuer
}

// Instance is what a function instance keeps between invocations:
// telemetry, producers, connections.
type Instance interface {
	// Flush delivers what an invocation buffered (spans) before the
	// platform may freeze the instance.
	Flush(ctx context.Context) error
	// Close releases everything when the instance shuts down.
	Close(ctx context.Context) error
}
