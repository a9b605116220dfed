// Package stream is the enricher's consume-transform-produce stage: ReadingDecoded
// from ble.readings.v1 in, ReadingEnriched on ble.enriched.v1 out, in Kafka
// transactions so each input yields its outputs exactly once.
package stream

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/services/enricher/internal/enrich"
	"github.com/bluestream/bluestream/services/enricher/internal/mapper"
	"github.com/bluestream/bluestream/services/enricher/internal/privacy"
)

// Stage enriches one poll's records at a time. Merge groups never outlive a batch:
// the batch's transaction commits the input offsets, so a group left open would be
// lost on a crash. Copies of one advertisement normally arrive together, within
// one fetch.
type Stage struct {
	Enricher *enrich.Enricher
	Encoder  eventbus.Encoder
	Output   string
	Period   privacy.Period
	Now      func() time.Time

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

// Batch returns the records to publish for the inputs: enriched readings, and the
// inputs that are not valid readings as dead letters with the reason.
func (s *Stage) Batch(ctx context.Context, in []*kgo.Record) ([]*kgo.Record, error) {
	s.forgetErased()
	now := s.now()
	var out []*kgo.Record
	var results []enrich.Enriched
	for _, r := range in {
		got, err := s.add(ctx, r)
		results = append(results, got...)
		if err != nil {
			out = append(out, eventbus.DLQRecord(r, err, now))
		}
	}
	flushed, err := s.Enricher.Flush(ctx)
	if err != nil {
		return nil, fmt.Errorf("enriching merged readings: %w", err)
	}
	for _, e := range append(results, flushed...) {
		rec, err := s.record(ctx, e, now)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}

func (s *Stage) add(ctx context.Context, r *kgo.Record) ([]enrich.Enriched, error) {
	var pb blev1.ReadingDecoded
	if err := eventbus.Decode(r, &pb); err != nil {
		return nil, err
	}
	reading, err := mapper.Reading(&pb)
	if err != nil {
		return nil, &eventbus.DecodeError{Reason: "invalid", Err: err}
	}
	return s.Enricher.Add(ctx, reading)
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
