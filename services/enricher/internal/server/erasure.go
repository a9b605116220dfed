package server

import (
	"context"
	"fmt"
	"slices"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/services/enricher/internal/enrich"
	"github.com/bluestream/bluestream/services/enricher/internal/mapper"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
)

// erasureNotice lists the pseudonyms of every erased device in events as one
// SubjectErased record, while the subject keys still exist to compute them. It
// returns nil when events erase nothing.
func (s *Server) erasureNotice(ctx context.Context, events []registry.Event) ([]registry.DeviceErased, *kgo.Record, error) {
	var erased []registry.DeviceErased
	for _, e := range events {
		if de, ok := e.(registry.DeviceErased); ok {
			erased = append(erased, de)
		}
	}
	if len(erased) == 0 {
		return nil, nil, nil
	}
	now := s.now()
	all := enrich.ErasureNotice{DeviceID: erased[0].AggregateID, RequestID: erased[0].RequestID}
	for _, de := range erased {
		n, err := enrich.ListErasure(ctx, s.Pseudonyms, s.Policy, de, now)
		if err != nil {
			return nil, nil, err
		}
		all.Pseudonyms = append(all.Pseudonyms, n.Pseudonyms...)
	}
	slices.Sort(all.Pseudonyms)
	all.Pseudonyms = slices.Compact(all.Pseudonyms) // owner pseudonyms repeat per device
	msg, err := mapper.SubjectErased(all, now)
	if err != nil {
		return nil, nil, err
	}
	// Keyed and identified by the request, so a retried request reads as a repeat.
	rec, err := s.Encoder.Record(ctx, eventbus.Event{Topic: s.EnrichedTopic, Key: all.RequestID, Msg: msg, Time: now,
		ID: fmt.Sprintf("erasure/%s", all.RequestID)})
	if err != nil {
		return nil, nil, err
	}
	return erased, rec, nil
}
