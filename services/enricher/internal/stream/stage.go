// Package stream is the enricher's consume-transform-produce stage: ReadingDecoded
// from ble.readings.v1 in, ReadingEnriched on ble.enriched.v1 out, in Kafka
// transactions so each input yields its outputs exactly once.
package stream

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/pipelinemetrics"
	"github.com/bluestream/bluestream/services/enricher/internal/enrich"
	"github.com/bluestream/bluestream/services/enricher/internal/mapper"
	"github.com/bluestream/bluestream/services/enricher/internal/privacy"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
)

// Stage enriches one poll's records at a time. Merge groups never outlive a batch:
// the batch's transaction commits the input offsets, so a group left open would be
// lost on a crash. Copies of one advertisement normally arrive together, within
// one fetch. Event time is a partition's own: the batch is enriched one partition at
// a time, each closed with a flush, as if each partition had its own Enricher.
type Stage struct {
	Enricher *enrich.Enricher
	Encoder  eventbus.Encoder
	Output   string
	Period   privacy.Period
	Now      func() time.Time
	// Metrics counts what Run's committed transactions took in and
	// dead-lettered, and how old their enriched readings were; nil counts
	// nothing.
	Metrics *pipelinemetrics.Metrics

	mu     sync.Mutex
	erased []string
}

// Erased queues a device whose subject was erased elsewhere (the RPC side); the
// stage drops its window state before the next batch. Safe for concurrent use.
func (s *Stage) Erased(deviceID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.erased = append(s.erased, deviceID)
}

// Batch returns the records to publish for the inputs: enriched readings, and as
// dead letters with the reason the inputs that are not valid readings and the
// copies of observations that cannot be enriched.
func (s *Stage) Batch(ctx context.Context, in []*kgo.Record) ([]*kgo.Record, error) {
	s.forgetErased()
	now := s.now()
	var out []*kgo.Record
	for _, part := range byPartition(in) {
		recs, err := s.partition(ctx, part, now)
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
	}
	return out, nil
}

// partition enriches one partition's records and flushes its merge groups.
func (s *Stage) partition(ctx context.Context, part []*kgo.Record, now time.Time) ([]*kgo.Record, error) {
	var results []enrich.Enriched
	var out []*kgo.Record
	c := copies{}
	// A merged reading continues the trace of its first copy: the record's
	// context carries the span the fetch hook started from its traceparent.
	origins := map[int64]context.Context{}
	for _, r := range part {
		got, reading, err := s.add(ctx, r)
		results = append(results, got...)
		groups, rejected := enrich.GroupErrors(err)
		if rejected != nil {
			out = append(out, eventbus.DLQRecord(r, rejection(rejected), now))
			continue
		}
		c.add(reading, r)
		if _, seen := origins[reading.ReceivedAt.UnixNano()]; !seen && r.Context != nil {
			origins[reading.ReceivedAt.UnixNano()] = r.Context
		}
		dead, err := c.deadLetters(groups, now)
		if err != nil {
			return nil, err
		}
		out = append(out, dead...)
	}
	flushed, err := s.Enricher.Flush(ctx)
	groups, rest := enrich.GroupErrors(err)
	if rest != nil {
		return nil, fmt.Errorf("enriching merged readings: %w", rest)
	}
	dead, err := c.deadLetters(groups, now)
	if err != nil {
		return nil, err
	}
	out = append(out, dead...)
	for _, e := range append(results, flushed...) {
		rctx := ctx
		if origin, ok := origins[e.ObservedAt.UnixNano()]; ok {
			rctx = origin
		}
		rec, err := s.record(rctx, e, now)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
		// Aged from the first copy's receive time: the advertisement's.
		pipelinemetrics.Delivered(ctx, e.ObservedAt)
	}
	return out, nil
}

// rejection gives a reading the enricher refused its dead-letter reason, so
// operators can tell a gateway missing from the registry from bad data.
func rejection(err error) error {
	var de *eventbus.DecodeError
	switch {
	case errors.As(err, &de):
		return err
	case errors.Is(err, registry.ErrNotFound):
		return &eventbus.DecodeError{Reason: "unknown_gateway", Err: err}
	case errors.Is(err, enrich.ErrInvalidReading):
		return &eventbus.DecodeError{Reason: "invalid", Err: err}
	}
	return err
}

// byPartition splits records into their partitions, keeping the order within each.
// A poll interleaves partitions whose event times may be far apart; fed through one
// merge window, the later times would close the earlier ones' groups before their
// other copies arrive.
func byPartition(in []*kgo.Record) [][]*kgo.Record {
	type tp struct {
		topic     string
		partition int32
	}
	index := make(map[tp]int)
	var out [][]*kgo.Record
	for _, r := range in {
		k := tp{r.Topic, r.Partition}
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], r)
	}
	return out
}

// add feeds one record to the enricher and returns the readings that closed,
// and the record's reading.
func (s *Stage) add(ctx context.Context, r *kgo.Record) ([]enrich.Enriched, enrich.Reading, error) {
	var pb blev1.ReadingDecoded
	if err := eventbus.Decode(r, &pb); err != nil {
		return nil, enrich.Reading{}, err
	}
	reading, err := mapper.Reading(&pb)
	if err != nil {
		return nil, enrich.Reading{}, &eventbus.DecodeError{Reason: "invalid", Err: err}
	}
	got, err := s.Enricher.Add(ctx, reading)
	return got, reading, err
}

func (s *Stage) record(ctx context.Context, e enrich.Enriched, now time.Time) (*kgo.Record, error) {
	msg, err := mapper.Enriched(e, s.Period, now)
	if err != nil {
		return nil, fmt.Errorf("mapping enriched reading: %w", err)
	}
	return s.Encoder.Record(ctx, eventbus.Event{
		Topic: s.Output, Key: e.DevicePseudonym, Msg: msg, Time: e.ObservedAt,
		// The pseudonym and the first copy's time name the merged reading.
		ID: e.DevicePseudonym + "/" + strconv.FormatInt(e.ObservedAt.UnixNano(), 10),
	})
}

func (s *Stage) forgetErased() {
	s.mu.Lock()
	ids := s.erased
	s.erased = nil
	s.mu.Unlock()
	for _, id := range ids {
		s.Enricher.ForgetDevice(id)
	}
}

func (s *Stage) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}
