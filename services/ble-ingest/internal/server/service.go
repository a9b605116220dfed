package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	ingestv1 "github.com/bluestream/bluestream/gen/bluestream/ingest/v1"
	"github.com/bluestream/bluestream/gen/bluestream/ingest/v1/ingestv1connect"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/ingest"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/mapper"
)

// Server answers IngestService over an Ingester.
type Server struct {
	ingester *ingest.Ingester
}

var _ ingestv1connect.IngestServiceHandler = (*Server)(nil)

// New returns a Server over in.
func New(in *ingest.Ingester) *Server { return &Server{ingester: in} }

// Ingest implements ingestv1connect.IngestServiceHandler.
func (s *Server) Ingest(ctx context.Context, req *connect.Request[ingestv1.IngestRequest]) (*connect.Response[ingestv1.IngestResponse], error) {
	res, err := s.ingest(ctx, req.Msg.GetBatch())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&ingestv1.IngestResponse{Accepted: uint32(res.Accepted), Duplicate: res.Duplicate}), nil
}

// IngestStream implements ingestv1connect.IngestServiceHandler. Batches are
// published in the order they arrive, each acknowledged by Kafka before the
// next is read, so a device's advertisements stay in order across batches.
func (s *Server) IngestStream(ctx context.Context, stream *connect.ClientStream[ingestv1.IngestStreamRequest]) (*connect.Response[ingestv1.IngestStreamResponse], error) {
	var out ingestv1.IngestStreamResponse
	for stream.Receive() {
		res, err := s.ingest(ctx, stream.Msg().GetBatch())
		if err != nil {
			return nil, fmt.Errorf("batch %d of the stream: %w", out.Batches+1, err)
		}
		out.Batches++
		out.Advertisements += uint64(res.Accepted)
		if res.Duplicate {
			out.DuplicateBatches++
		}
	}
	if err := stream.Err(); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return connect.NewResponse(&out), nil
}

// ListGateways implements ingestv1connect.IngestServiceHandler.
func (s *Server) ListGateways(context.Context, *connect.Request[ingestv1.ListGatewaysRequest]) (*connect.Response[ingestv1.ListGatewaysResponse], error) {
	var out ingestv1.ListGatewaysResponse
	for _, g := range s.ingester.Gateways() {
		out.Gateways = append(out.Gateways, &ingestv1.Gateway{
			GatewayId:      g.ID,
			LastSeen:       timestamppb.New(g.LastSeen),
			Advertisements: g.Advertisements,
			LastSequence:   g.LastSequence,
		})
	}
	return connect.NewResponse(&out), nil
}

func (s *Server) ingest(ctx context.Context, b *ingestv1.Batch) (ingest.Result, error) {
	batch, err := fromProto(b)
	if err != nil {
		return ingest.Result{}, err
	}
	res, err := s.ingester.Ingest(ctx, batch)
	if err != nil {
		return res, rpcError(err)
	}
	return res, nil
}

// fromProto maps a batch; the validation interceptor has already checked the
// contract's rules, this repeats what the domain needs so the handler is safe
// on its own too.
func fromProto(b *ingestv1.Batch) (ingest.Batch, error) {
	out := ingest.Batch{GatewayID: b.GetGatewayId(), Sequence: b.GetSequence(), Advertisements: make([]advert.Advertisement, 0, len(b.GetAdvertisements()))}
	for i, s := range b.GetAdvertisements() {
		ad, err := mapper.FromScanned(b.GetGatewayId(), advert.SourceGateway, s)
		var ferr *mapper.FieldError
		switch {
		case errors.As(err, &ferr):
			return out, invalid(fmt.Sprintf("batch.advertisements[%d].%s", i, ferr.Field), ferr.Reason)
		case err != nil:
			return out, invalid(fmt.Sprintf("batch.advertisements[%d]", i), err.Error())
		}
		out.Advertisements = append(out.Advertisements, ad)
	}
	return out, nil
}

func invalid(field, reason string) error {
	return connect.NewError(connect.CodeInvalidArgument, fmt.Errorf("%s: %s", field, reason))
}

// rpcError picks the code for an ingest error: the client retries
// resource_exhausted and unavailable with the same sequence, which is safe.
func rpcError(err error) error {
	var (
		inv   *ingest.InvalidError
		unavl *ingest.UnavailableError
	)
	switch {
	case errors.As(err, &inv):
		return invalid("batch."+inv.Field, inv.Reason)
	case errors.Is(err, ingest.ErrOverloaded):
		return connect.NewError(connect.CodeResourceExhausted, err)
	case errors.As(err, &unavl):
		return connect.NewError(connect.CodeUnavailable, fmt.Errorf("kafka did not acknowledge the batch; retry it with the same sequence: %w", unavl.Err))
	}
	// Context errors: connect reports them as canceled or deadline_exceeded.
	return err
}

// BatchFromProto maps a request batch as the handlers do, stamped as received
// at receivedAt; benchmarks use it to build the records ingest would produce.
func BatchFromProto(b *ingestv1.Batch, receivedAt time.Time) (ingest.Batch, error) {
	out, err := fromProto(b)
	out.ReceivedAt = receivedAt
	return out, err
}
