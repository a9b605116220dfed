// Package publish is the Kafka adapter behind ingest.Publisher: each
// advertisement of a batch becomes one AdvertisementReceived event, keyed by
// its device address, and the batch counts as published only when Kafka
// acknowledged every record.
package publish

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/pipelinemetrics"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/ingest"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/mapper"
)

// Kafka publishes batches to Topic through Client.
type Kafka struct {
	Client *eventbus.Client
	Topic  string
	// Metrics counts the advertisements of every batch Kafka acknowledged as
	// records in, without a topic: they came over RPC or from local sources.
	// Nothing is dead-lettered here: invalid input is rejected to its sender
	// (invalid_argument) before it is published. Nil counts nothing.
	Metrics *pipelinemetrics.Metrics
}

var _ ingest.Publisher = Kafka{}

// Publish implements ingest.Publisher.
func (k Kafka) Publish(ctx context.Context, b ingest.Batch) error {
	events, err := Events(k.Topic, b)
	if err != nil {
		return err
	}
	// Wait for every record's outcome, not only the first error: the caller
	// must know whether the whole batch is settled before it decides what a
	// retry may do.
	results := make(chan error, len(events))
	for _, e := range events {
		r, err := k.Client.Encoder.Record(ctx, e)
		if err != nil {
			return err
		}
		k.Client.Produce(ctx, r, func(_ *kgo.Record, err error) { results <- err })
	}
	var first error
	for range events {
		if err := <-results; err != nil && first == nil {
			first = err
		}
	}
	if first != nil {
		return fmt.Errorf("producing %d records to %s: %w", len(events), k.Topic, first)
	}
	// Only an acknowledged batch counts: a failed one is retried whole, and
	// the Ingester does not publish a batch again once it succeeded.
	counted := k.Metrics.NewBatch()
	counted.In("", len(events))
	counted.Commit(ctx, time.Now())
	return nil
}

// Events maps a batch to its events. An advertisement the contract cannot
// express yields an *ingest.InvalidError naming it.
func Events(topic string, b ingest.Batch) ([]eventbus.Event, error) {
	events := make([]eventbus.Event, len(b.Advertisements))
	for i, ad := range b.Advertisements {
		msg, err := mapper.ToEvent(ad, b.Sequence, b.ReceivedAt)
		if err != nil {
			var ferr *mapper.FieldError
			if errors.As(err, &ferr) {
				return nil, &ingest.InvalidError{Field: fmt.Sprintf("advertisements[%d].%s", i, ferr.Field), Reason: ferr.Reason}
			}
			return nil, err
		}
		events[i] = eventbus.Event{Topic: topic, Key: Key(ad), Msg: msg, ID: EventID(b.GatewayID, b.Sequence, i), Time: b.ReceivedAt}
	}
	return events, nil
}

// Key is the record key: the device address, the aggregate id, so one device's
// advertisements stay ordered in one partition. An anonymous advertisement has
// no device address; it is keyed by the gateway that heard it.
func Key(ad advert.Advertisement) string {
	if ad.AddressType == advert.AddressAnonymous {
		return "anonymous@" + ad.GatewayID
	}
	return ad.Address.String()
}

// EventID is the ce_id of the index-th advertisement of a gateway's batch: the
// same for every retry of the batch, so consumers recognise a batch published
// twice (after ingest forgot a gateway, or a publish that failed halfway).
// Unnumbered batches (sequence 0) get random ids: they cannot be told apart.
func EventID(gatewayID string, sequence uint64, index int) string {
	if sequence == 0 {
		return ""
	}
	return fmt.Sprintf("%s/%d/%d", gatewayID, sequence, index)
}
