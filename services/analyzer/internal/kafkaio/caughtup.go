package kafkaio

import (
	"context"
	"fmt"

	"github.com/twmb/franz-go/pkg/kadm"

	"github.com/bluestream/bluestream/services/analyzer/internal/store"
)

// CaughtUp reports whether read (the engine's next offsets) has reached
// the last stable offset of every partition of topic. Only then may event
// time follow the wall clock in an idle tick: under lag, silent devices
// would time out while their readings are still queued.
func CaughtUp(ctx context.Context, adm *kadm.Client, topic string, read map[store.Partition]int64) (bool, error) {
	ends, err := adm.ListCommittedOffsets(ctx, topic)
	if err != nil {
		return false, fmt.Errorf("listing end offsets of %s: %w", topic, err)
	}
	caught := true
	ends.Each(func(o kadm.ListedOffset) {
		if o.Err != nil || read[store.Partition{Topic: o.Topic, Partition: o.Partition}] < o.Offset {
			caught = false
		}
	})
	return caught, nil
}
