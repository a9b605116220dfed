package serverless

import (
	"context"
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/telemetry"
)

// Publish produces recs and waits until the brokers acknowledged every one:
// a serverless platform commits the input offsets when the function
// returns, so returning before the acknowledgements could lose outputs. The
// client is idempotent (franz-go's default); a retried batch publishes
// records with the same ce_id, so consumers can drop the duplicates.
func Publish(ctx context.Context, cl *kgo.Client, recs []*kgo.Record) error {
	if len(recs) == 0 {
		return nil
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		return fmt.Errorf("publishing %d records: %w", len(recs), err)
	}
	return nil
}

// FlushSpans exports the spans of the invocation that just ended: a
// platform may freeze the instance as soon as the function answers, before
// a batcher's timer fires.
func FlushSpans(ctx context.Context, tel *telemetry.Telemetry) error {
	if f, ok := tel.TracerProvider.(interface{ ForceFlush(context.Context) error }); ok {
		return f.ForceFlush(ctx)
	}
	return nil
}
