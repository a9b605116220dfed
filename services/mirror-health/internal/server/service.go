package server

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"connectrpc.com/connect"

	mirrorv1 "github.com/bluestream/bluestream/gen/bluestream/mirror/v1"
	"github.com/bluestream/bluestream/gen/bluestream/mirror/v1/mirrorv1connect"
)

// Server answers MirrorHealthService from a Hub.
type Server struct {
	flow   Flow
	topics []string
	hub    *Hub
}

var _ mirrorv1connect.MirrorHealthServiceHandler = (*Server)(nil)

// New returns a server for the flow whose watched source topics are topics.
func New(flow Flow, topics []string, hub *Hub) *Server {
	return &Server{flow: flow, topics: slices.Clone(topics), hub: hub}
}

// GetReplicationStatus implements mirrorv1connect.MirrorHealthServiceHandler.
func (s *Server) GetReplicationStatus(_ context.Context, req *connect.Request[mirrorv1.GetReplicationStatusRequest]) (*connect.Response[mirrorv1.GetReplicationStatusResponse], error) {
	if err := s.checkTopics(req.Msg.GetTopics()); err != nil {
		return nil, err
	}
	r, seq, _ := s.hub.Latest()
	if seq == 0 {
		return nil, connect.NewError(connect.CodeUnavailable, errors.New("no evaluation yet: the first follows one collection interval after start"))
	}
	return connect.NewResponse(&mirrorv1.GetReplicationStatusResponse{
		Status: ToProto(s.flow, r.ForTopics(req.Msg.GetTopics()...)),
	}), nil
}

// WatchReplicationStatus implements mirrorv1connect.MirrorHealthServiceHandler.
// It sends the newest evaluation at once, if there is one, then each new one.
func (s *Server) WatchReplicationStatus(ctx context.Context, req *connect.Request[mirrorv1.WatchReplicationStatusRequest], stream *connect.ServerStream[mirrorv1.WatchReplicationStatusResponse]) error {
	if err := s.checkTopics(req.Msg.GetTopics()); err != nil {
		return err
	}
	var sent uint64
	for {
		r, seq, changed := s.hub.Latest()
		if seq != sent {
			msg := &mirrorv1.WatchReplicationStatusResponse{Status: ToProto(s.flow, r.ForTopics(req.Msg.GetTopics()...))}
			if err := stream.Send(msg); err != nil {
				return fmt.Errorf("sending status: %w", err)
			}
			sent = seq
		}
		select {
		case <-ctx.Done():
			return nil
		case <-changed:
		}
	}
}

// checkTopics rejects topics this instance does not watch, since an empty
// answer for a typo would read as "nothing wrong".
func (s *Server) checkTopics(topics []string) error {
	for i, t := range topics {
		if !slices.Contains(s.topics, t) {
			return connect.NewError(connect.CodeInvalidArgument,
				fmt.Errorf("topics[%d]: %q is not a watched topic (watching %s)", i, t, strings.Join(s.topics, ", ")))
		}
	}
	return nil
}
