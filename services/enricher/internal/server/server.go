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
	"github.com/bluestream/bluestream/services/enricher/internal/registrylog"
)

// Log is the registry topic as a writer sees it; *registrylog.Writer implements it.
type Log interface {
	// Prepare makes this instance the log's writer and returns once the
	// projection holds every event committed before.
	Prepare(ctx context.Context) error
	// Append commits records in one transaction; registrylog.ErrSuperseded
	// means another instance became the writer since Prepare.
	Append(ctx context.Context, recs []*kgo.Record) error
}

// Server serves RegistryService. Any number of instances may: each decides a
// command against its projection brought up to the log by Log.Prepare, and Log
// lets only the latest writer commit.
type Server struct {
	registryv1connect.UnimplementedRegistryServiceHandler

	Registry *registry.Registry
	Events   mapper.Events
	Log      Log
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
// against a projection the first is about to change. A command superseded by
// another instance's write is decided once more against the newer log.
func (s *Server) execute(ctx context.Context, cmd registry.Command) ([]registry.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	events, erasures, err := s.decideAndAppend(ctx, cmd)
	if errors.Is(err, registrylog.ErrSuperseded) {
		events, erasures, err = s.decideAndAppend(ctx, cmd)
	}
	if errors.Is(err, registrylog.ErrSuperseded) {
		return nil, connect.NewError(connect.CodeAborted, fmt.Errorf("other instances keep writing the registry, try again: %w", err))
	}
	if err != nil {
		return nil, err
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

// decideAndAppend decides cmd on a projection up to date with the log and
// commits its events with the erasure notice, if any.
func (s *Server) decideAndAppend(ctx context.Context, cmd registry.Command) ([]registry.Event, []registry.DeviceErased, error) {
	if err := s.Log.Prepare(ctx); err != nil {
		return nil, nil, connect.NewError(connect.CodeUnavailable, err)
	}
	events, err := s.Registry.Decide(cmd)
	if err != nil {
		return nil, nil, commandError(err)
	}
	recs := make([]*kgo.Record, 0, len(events)+1)
	for _, e := range events {
		rec, err := s.record(ctx, e)
		if err != nil {
			return nil, nil, connect.NewError(connect.CodeInternal, err)
		}
		recs = append(recs, rec)
	}
	erasures, notice, err := s.erasureNotice(ctx, events)
	if err != nil {
		return nil, nil, connect.NewError(connect.CodeInternal, err)
	}
	if notice != nil {
		recs = append(recs, notice)
	}
	if len(recs) > 0 {
		if err := s.Log.Append(ctx, recs); err != nil {
			if errors.Is(err, registrylog.ErrSuperseded) {
				return nil, nil, err
			}
			return nil, nil, connect.NewError(connect.CodeUnavailable, err)
		}
	}
	return events, erasures, nil
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
