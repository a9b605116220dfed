package consumer

import (
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/services/analyzer/internal/analyze"
	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
	"github.com/bluestream/bluestream/services/analyzer/internal/mapper"
	"github.com/bluestream/bluestream/services/analyzer/internal/store"
)

var (
	readingType = eventbus.TypeOf(&blev1.ReadingEnriched{})
	erasureType = eventbus.TypeOf(&blev1.SubjectErased{})
)

func partitionOf(r *kgo.Record) store.Partition {
	return store.Partition{Topic: r.Topic, Partition: r.Partition}
}

// decodeReading checks the contract (eventbus.Decode validates it) and
// maps it; a mapping failure is as invalid as a contract violation.
func decodeReading(r *kgo.Record) (enriched.Reading, error) {
	var msg blev1.ReadingEnriched
	if err := eventbus.Decode(r, &msg); err != nil {
		return enriched.Reading{}, err
	}
	out, err := mapper.Reading(&msg)
	if err != nil {
		return enriched.Reading{}, fmt.Errorf("%w: mapping %s: %w", analyze.ErrInvalid, readingType, err)
	}
	return out, nil
}

func decodeErasure(r *kgo.Record) (enriched.Erasure, error) {
	var msg blev1.SubjectErased
	if err := eventbus.Decode(r, &msg); err != nil {
		return enriched.Erasure{}, err
	}
	out, err := mapper.Erasure(&msg)
	if err != nil {
		return enriched.Erasure{}, fmt.Errorf("%w: mapping %s: %w", analyze.ErrInvalid, erasureType, err)
	}
	return out, nil
}
