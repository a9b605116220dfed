package server

import (
	"context"
	"errors"

	"connectrpc.com/connect"

	registryv1 "github.com/bluestream/bluestream/gen/bluestream/registry/v1"
	"github.com/bluestream/bluestream/services/enricher/internal/mapper"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
)

// lastVersion is the version of the command's aggregate after its events.
func lastVersion(events []registry.Event) uint64 {
	if len(events) == 0 {
		return 0
	}
	return events[len(events)-1].EventMeta().Version
}

func invalidArgument(err error) error { return connect.NewError(connect.CodeInvalidArgument, err) }

// RegisterGateway implements registryv1connect.RegistryServiceHandler.
func (s *Server) RegisterGateway(ctx context.Context, req *connect.Request[registryv1.RegisterGatewayRequest]) (*connect.Response[registryv1.RegisterGatewayResponse], error) {
	cmd, err := mapper.RegisterGateway(req.Msg)
	if err != nil {
		return nil, invalidArgument(err)
	}
	events, err := s.execute(ctx, cmd)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&registryv1.RegisterGatewayResponse{Version: lastVersion(events)}), nil
}

// MoveGateway implements registryv1connect.RegistryServiceHandler.
func (s *Server) MoveGateway(ctx context.Context, req *connect.Request[registryv1.MoveGatewayRequest]) (*connect.Response[registryv1.MoveGatewayResponse], error) {
	cmd, err := mapper.MoveGateway(req.Msg)
	if err != nil {
		return nil, invalidArgument(err)
	}
	events, err := s.execute(ctx, cmd)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&registryv1.MoveGatewayResponse{Version: lastVersion(events)}), nil
}

// RetireGateway implements registryv1connect.RegistryServiceHandler.
func (s *Server) RetireGateway(ctx context.Context, req *connect.Request[registryv1.RetireGatewayRequest]) (*connect.Response[registryv1.RetireGatewayResponse], error) {
	events, err := s.execute(ctx, mapper.RetireGateway(req.Msg))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&registryv1.RetireGatewayResponse{Version: lastVersion(events)}), nil
}

// RegisterDevice implements registryv1connect.RegistryServiceHandler.
func (s *Server) RegisterDevice(ctx context.Context, req *connect.Request[registryv1.RegisterDeviceRequest]) (*connect.Response[registryv1.RegisterDeviceResponse], error) {
	cmd, err := mapper.RegisterDevice(req.Msg)
	if err != nil {
		return nil, invalidArgument(err)
	}
	events, err := s.execute(ctx, cmd)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&registryv1.RegisterDeviceResponse{Version: lastVersion(events)}), nil
}

// AssignDevice implements registryv1connect.RegistryServiceHandler.
func (s *Server) AssignDevice(ctx context.Context, req *connect.Request[registryv1.AssignDeviceRequest]) (*connect.Response[registryv1.AssignDeviceResponse], error) {
	cmd, err := mapper.AssignDevice(req.Msg)
	if err != nil {
		return nil, invalidArgument(err)
	}
	events, err := s.execute(ctx, cmd)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&registryv1.AssignDeviceResponse{Version: lastVersion(events)}), nil
}

// RecordAgreement implements registryv1connect.RegistryServiceHandler.
func (s *Server) RecordAgreement(ctx context.Context, req *connect.Request[registryv1.RecordAgreementRequest]) (*connect.Response[registryv1.RecordAgreementResponse], error) {
	events, err := s.execute(ctx, mapper.RecordAgreement(req.Msg))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&registryv1.RecordAgreementResponse{Version: lastVersion(events)}), nil
}

// RequestErasure implements registryv1connect.RegistryServiceHandler.
func (s *Server) RequestErasure(ctx context.Context, req *connect.Request[registryv1.RequestErasureRequest]) (*connect.Response[registryv1.RequestErasureResponse], error) {
	events, err := s.execute(ctx, mapper.RequestErasure(req.Msg))
	if err != nil {
		return nil, err
	}
	res := &registryv1.RequestErasureResponse{}
	for _, e := range events {
		if e.EventMeta().AggregateID == req.Msg.GetDeviceId() {
			res.Version = e.EventMeta().Version
		}
		res.ErasedDeviceIds = append(res.ErasedDeviceIds, e.EventMeta().AggregateID)
	}
	return connect.NewResponse(res), nil
}

// GetGateway implements registryv1connect.RegistryServiceHandler.
func (s *Server) GetGateway(_ context.Context, req *connect.Request[registryv1.GetGatewayRequest]) (*connect.Response[registryv1.GetGatewayResponse], error) {
	id := req.Msg.GetGatewayId()
	g, err := s.Registry.Gateway(id)
	switch {
	case err == nil:
		return connect.NewResponse(mapper.GatewayResponse(g)), nil
	case errors.Is(err, registry.ErrNotFound):
		if v := s.Registry.GatewayVersion(id); v > 0 {
			return connect.NewResponse(&registryv1.GetGatewayResponse{GatewayId: id, Retired: true, Version: v}), nil
		}
		return nil, connect.NewError(connect.CodeNotFound, err)
	default:
		return nil, connect.NewError(connect.CodeInternal, err)
	}
}

// GetDevice implements registryv1connect.RegistryServiceHandler. It says whether
// the device has an owner, never who: the owner reference stays in the enricher.
func (s *Server) GetDevice(_ context.Context, req *connect.Request[registryv1.GetDeviceRequest]) (*connect.Response[registryv1.GetDeviceResponse], error) {
	id := req.Msg.GetDeviceId()
	d, err := s.Registry.Device(id)
	switch {
	case err == nil:
		return connect.NewResponse(&registryv1.GetDeviceResponse{DeviceId: id, Category: mapper.CategoryToProto(d.Category),
			HasOwner: d.OwnerRef != "", Version: d.Version}), nil
	case errors.Is(err, registry.ErrNotFound):
		if v := s.Registry.DeviceVersion(id); v > 0 {
			return connect.NewResponse(&registryv1.GetDeviceResponse{DeviceId: id, Erased: true, Version: v}), nil
		}
		return nil, connect.NewError(connect.CodeNotFound, err)
	default:
		return nil, connect.NewError(connect.CodeInternal, err)
	}
}
