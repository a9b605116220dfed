package stream

import (
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/services/enricher/internal/enrich"
	"github.com/bluestream/bluestream/services/enricher/internal/identity"
)

// reception names one gateway's copy of one advertisement.
type reception struct {
	gateway string
	at      int64
	address identity.Address
}

// copies finds the input records of a merge group that failed, so its copies
// can be dead-lettered: groups never outlive a partition's batch, so every copy
// of a failed group is among the records the stage has added.
type copies map[reception]*kgo.Record

func (c copies) add(r enrich.Reading, rec *kgo.Record) {
	c[reception{r.GatewayID, r.ReceivedAt.UnixNano(), r.Address}] = rec
}

// deadLetters returns a dead letter for every copy of groups that cannot be
// enriched; any other failure (the keystore, say) is not the records' fault and
// fails the batch so it is tried again.
func (c copies) deadLetters(groups []*enrich.GroupError, now time.Time) ([]*kgo.Record, error) {
	var out []*kgo.Record
	for _, g := range groups {
		if !errors.Is(g, enrich.ErrUnenrichable) {
			return nil, fmt.Errorf("enriching merged readings: %w", g)
		}
		cause := &eventbus.DecodeError{Reason: "unenrichable", Err: g}
		for _, rx := range g.Observation.Receivers {
			rec, ok := c[reception{rx.GatewayID, rx.At.UnixNano(), g.Observation.First.Address}]
			if !ok {
				return nil, fmt.Errorf("enriching merged readings: no input record for the copy from %s at %s of a group that failed: %w",
					rx.GatewayID, rx.At.Format(time.RFC3339Nano), g)
			}
			out = append(out, eventbus.DLQRecord(rec, cause, now))
		}
	}
	return out, nil
}
