package server

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"connectrpc.com/connect"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/gen/bluestream/registry/v1/registryv1connect"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/services/enricher/internal/mapper"
	"github.com/bluestream/bluestream/services/enricher/internal/privacy"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
)

// Producer appends records and waits for the broker; *kgo.Client implements it.
type Producer interface {
	ProduceSync(ctx context.Context, rs ...*kgo.Record) kgo.ProduceResults
}

// Server serves RegistryService. It must be the only writer of the registry topic:
// it decides commands against its own projection under one lock.
type Server struct {
	registryv1connect.UnimplementedRegistryServiceHandler

	Registry *registry.Registry
	Events   mapper.Events
	Producer Producer
	Encoder  eventbus.Encoder
	// RegistryTopic receives the registry events; EnrichedTopic the SubjectErased
	// notices that tell the analyzer which pseudonyms to drop.
	RegistryTopic string
	EnrichedTopic string
	Pseudonyms    *privacy.Pseudonymizer
	Policy        privacy.Policy
	Now           func() time.Time
	// OnErased runs after an erasure was applied, e.g. to clear stream state.
	OnErased func(deviceID string)

	mu sync.Mutex
}

var _ registryv1connect.RegistryServiceHandler = (*Server)(nil)

// execute decides cmd, appends its events and applies them. A rejected command or a
// failed append changes nothing; the lock keeps a second command from deciding
// against a projection the first is about to change.
func (s *Server) execute(ctx context.Context, cmd registry.Command) ([]registry.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	events, err := s.Registry.Decide(cmd)
	if err != nil {
		return nil, commandError(err)
	}
	recs := make([]*kgo.Record, 0, len(events)+1)
	for _, e := range events {
		rec, err := s.record(ctx, e)
		if err != nil {
			return nil, connect.NewError(connect.CodeInternal, err)
		}
		recs = append(recs, rec)
	}
	erasures, notice, err := s.erasureNotice(ctx, events)
	if err != nil {
		return nil, connect.NewError(connect.CodeInternal, err)
	}
	if notice != nil {
		recs = append(recs, notice)
	}
	if len(recs) > 0 {
		if err := s.Producer.ProduceSync(ctx, recs...).FirstErr(); err != nil {
			return nil, connect.NewError(connect.CodeUnavailable, fmt.Errorf("appending registry events: %w", err))
		}
	}
	// The log has it now: shred, then apply. If shredding fails the key lives on
	// until the follower or a restart replays the erasure and destroys it.
	var errs []error
	for _, e := range erasures {
		if err := s.Pseudonyms.ForgetSubject(ctx, e.Tenant, e.SubjectID); err != nil {
			errs = append(errs, err)
		}
	}
	for _, e := range events {
		if err := s.Registry.Apply(e); err != nil {
			errs = append(errs, err)
		}
	}
	for _, e := range erasures {
		if s.OnErased != nil {
			s.OnErased(e.AggregateID)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, connect.NewError(connect.CodeInternal, fmt.Errorf("applying appended events: %w", err))
	}
	return events, nil
}

func (s *Server) record(ctx context.Context, e registry.Event) (*kgo.Record, error) {
	pb, err := s.Events.ToProto(ctx, e)
	if err != nil {
		return nil, err
	}
	m := e.EventMeta()
	return s.Encoder.Record(ctx, eventbus.Event{
		Topic: s.RegistryTopic, Key: m.AggregateID, Msg: pb, Time: m.OccurredAt,
		// One id per aggregate version: a retried append is recognisable.
		ID: fmt.Sprintf("%s/%d", m.AggregateID, m.Version),
	})
}

// commandError picks the RPC code for a rejected command.
func commandError(err error) error {
	switch {
	case errors.Is(err, registry.ErrInvalid):
		return connect.NewError(connect.CodeInvalidArgument, err)
	case errors.Is(err, registry.ErrNotFound):
		return connect.NewError(connect.CodeNotFound, err)
	case errors.Is(err, registry.ErrAlreadyExists):
		return connect.NewError(connect.CodeAlreadyExists, err)
	case errors.Is(err, registry.ErrVersionConflict):
		return connect.NewError(connect.CodeAborted, err)
	default:
		return connect.NewError(connect.CodeInternal, err)
	}
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}
