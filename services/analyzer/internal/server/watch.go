package server

import (
	"context"

	"connectrpc.com/connect"

	analyzerv1 "github.com/bluestream/bluestream/gen/bluestream/analyzer/v1"
	"github.com/bluestream/bluestream/services/analyzer/internal/alert"
	"github.com/bluestream/bluestream/services/analyzer/internal/mapper"
)

// watchBatch bounds how many history entries one wake-up sends.
const watchBatch = 256

// WatchAlerts implements analyzerv1connect.AnalyzerServiceHandler.
//
// Without after_alert_id the stream starts with every open alert, then
// follows new events. With it, the stream resumes right after the first
// event that carried that id, so a client that saw an alert raised also
// gets its resolution, even if it saw that too (a repeat, never a gap).
// An id the history no longer holds (trimmed or erased) starts over with
// the open alerts, which the client reconciles by id.
func (s *Server) WatchAlerts(ctx context.Context, req *connect.Request[analyzerv1.WatchAlertsRequest], stream *connect.ServerStream[analyzerv1.WatchAlertsResponse]) error {
	seq, found := s.seqOf(req.Msg.GetAfterAlertId())
	if !found {
		var err error
		if seq, err = s.sendOpen(stream); err != nil {
			return err
		}
	}
	for {
		entries, complete, changed := s.Engine.AlertsSince(seq, watchBatch)
		if !complete {
			// Events after seq were dropped for capacity: the client
			// missed some, so it gets the current picture again.
			var err error
			if seq, err = s.sendOpen(stream); err != nil {
				return err
			}
			continue
		}
		for _, e := range entries {
			if err := stream.Send(s.watchResponse(e.Event)); err != nil {
				return err
			}
			seq = e.Seq
		}
		if len(entries) > 0 {
			continue
		}
		select {
		case <-ctx.Done():
			return nil // the client left; not an error of ours
		case <-changed:
		}
	}
}

// seqOf finds the first history entry carrying alertID.
func (s *Server) seqOf(alertID string) (uint64, bool) {
	if alertID == "" {
		return 0, false
	}
	entries, _, _ := s.Engine.AlertsSince(0, 0)
	for _, e := range entries {
		if e.Event.Alert.ID == alertID {
			return e.Seq, true
		}
	}
	return 0, false
}

func (s *Server) sendOpen(stream *connect.ServerStream[analyzerv1.WatchAlertsResponse]) (uint64, error) {
	open, seq := s.Engine.OpenAlertsAt()
	for _, a := range open {
		if err := stream.Send(&analyzerv1.WatchAlertsResponse{Alert: mapper.Alert(a, s.zoneOf(a.DeviceID))}); err != nil {
			return 0, err
		}
	}
	return seq, nil
}

func (s *Server) watchResponse(ev alert.Event) *analyzerv1.WatchAlertsResponse {
	zone := s.zoneOf(ev.Alert.DeviceID)
	if ev.Type == alert.Resolved {
		return &analyzerv1.WatchAlertsResponse{Alert: mapper.ResolvedAlert(ev, zone), Resolved: true}
	}
	return &analyzerv1.WatchAlertsResponse{Alert: mapper.Alert(ev.Alert, zone)}
}
