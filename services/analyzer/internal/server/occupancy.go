package server

import (
	"context"
	"fmt"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	analyzerv1 "github.com/bluestream/bluestream/gen/bluestream/analyzer/v1"
	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
	"github.com/bluestream/bluestream/services/analyzer/internal/mapper"
)

// defaultWindow is the contract's default occupancy window.
const defaultWindow = 300 * time.Second

// GetZoneOccupancy implements analyzerv1connect.AnalyzerServiceHandler.
func (s *Server) GetZoneOccupancy(_ context.Context, req *connect.Request[analyzerv1.GetZoneOccupancyRequest]) (*connect.Response[analyzerv1.GetZoneOccupancyResponse], error) {
	window := defaultWindow
	if w := req.Msg.GetWindowSeconds(); w > 0 {
		window = time.Duration(w) * time.Second
	}
	zones := s.Engine.Zones()
	if z := req.Msg.GetZone(); z != "" {
		if _, ok := enriched.ParseZoneKey(z); !ok {
			return nil, invalid("zone", fmt.Errorf("want site/building/floor/zone, got %q", z))
		}
		zones = []string{z}
	}
	res := &analyzerv1.GetZoneOccupancyResponse{}
	if wm := s.Engine.Watermark(); !wm.IsZero() {
		res.AsOf = timestamppb.New(wm)
	}
	for _, z := range zones {
		occ, err := s.Engine.Occupancy(z, window)
		if err != nil {
			// The zone key was checked above, so only the window is left.
			return nil, invalid("window_seconds", err)
		}
		res.Zones = append(res.Zones, mapper.Occupancy(occ))
	}
	return connect.NewResponse(res), nil
}
