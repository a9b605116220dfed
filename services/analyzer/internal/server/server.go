// Package server answers AnalyzerService from the engine's projections:
// devices, zone occupancy, alerts, and a stream of alert events that a
// client can resume from the last alert id it saw.
package server

import (
	"context"
	"errors"
	"fmt"

	"connectrpc.com/connect"

	analyzerv1 "github.com/bluestream/bluestream/gen/bluestream/analyzer/v1"
	"github.com/bluestream/bluestream/gen/bluestream/analyzer/v1/analyzerv1connect"
	"github.com/bluestream/bluestream/services/analyzer/internal/analyze"
	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
	"github.com/bluestream/bluestream/services/analyzer/internal/mapper"
	"github.com/bluestream/bluestream/services/analyzer/internal/projection"
)

// Server implements AnalyzerService on an engine.
type Server struct {
	Engine *analyze.Engine
}

var _ analyzerv1connect.AnalyzerServiceHandler = (*Server)(nil)

// GetDevice implements analyzerv1connect.AnalyzerServiceHandler.
func (s *Server) GetDevice(_ context.Context, req *connect.Request[analyzerv1.GetDeviceRequest]) (*connect.Response[analyzerv1.GetDeviceResponse], error) {
	v, ok := s.Engine.Device(req.Msg.GetDevicePseudonym())
	if !ok {
		// Restricted devices answer the same as unknown ones: even their
		// existence may only show in aggregates.
		return nil, connect.NewError(connect.CodeNotFound, fmt.Errorf("device %q: not known", req.Msg.GetDevicePseudonym()))
	}
	return connect.NewResponse(&analyzerv1.GetDeviceResponse{Device: mapper.Device(v)}), nil
}

// ListDevices implements analyzerv1connect.AnalyzerServiceHandler.
func (s *Server) ListDevices(_ context.Context, req *connect.Request[analyzerv1.ListDevicesRequest]) (*connect.Response[analyzerv1.ListDevicesResponse], error) {
	f := projection.DeviceFilter{Limit: int(req.Msg.GetPageSize())}
	if z := req.Msg.GetZone(); z != "" {
		if _, ok := enriched.ParseZoneKey(z); !ok {
			return nil, invalid("zone", fmt.Errorf("want site/building/floor/zone, got %q", z))
		}
		f.Zone = z
	}
	if c := req.Msg.GetCategory(); c != 0 {
		cat, err := mapper.CategoryFromProto(c)
		if err != nil {
			return nil, invalid("category", err)
		}
		f.Categories = []enriched.Category{cat}
	}
	if ts := req.Msg.GetSeenSince(); ts != nil {
		f.SeenSince = ts.AsTime()
	}
	if tok := req.Msg.GetPageToken(); tok != "" {
		after, err := decodeToken(tok)
		if err != nil {
			return nil, invalid("page_token", err)
		}
		f.After = after
	}
	page, next := s.Engine.Devices(f)
	res := &analyzerv1.ListDevicesResponse{}
	for _, v := range page {
		res.Devices = append(res.Devices, mapper.Device(v))
	}
	if next != "" {
		res.NextPageToken = encodeToken(next)
	}
	return connect.NewResponse(res), nil
}

// invalid is the error for a request field the validation rules cannot
// catch, naming the field as protovalidate would.
func invalid(field string, err error) error {
	return connect.NewError(connect.CodeInvalidArgument, fmt.Errorf("%s: %w", field, err))
}

// zoneOf is a device's last zone for an alert; empty for gateway alerts
// and for devices no longer (or never) shown individually.
func (s *Server) zoneOf(deviceID string) string {
	if deviceID == "" {
		return ""
	}
	v, ok := s.Engine.Device(deviceID)
	if !ok {
		return ""
	}
	return v.Zone.Key()
}

var errBadToken = errors.New("not a token this server issued")
