package server_test

import (
	"bytes"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	transformerv1 "github.com/bluestream/bluestream/gen/bluestream/transformer/v1"
	"github.com/bluestream/bluestream/gen/bluestream/transformer/v1/transformerv1connect"
	"github.com/bluestream/bluestream/platform/rpcserver"
	"github.com/bluestream/bluestream/platform/rpcserver/rpctest"
	"github.com/bluestream/bluestream/services/transformer/internal/pipeline"
	"github.com/bluestream/bluestream/services/transformer/internal/server"
)

// startServer serves the handler the way cmd/transformer does: through
// rpcserver, with its validation and tracing interceptors.
func startServer(t *testing.T, s *server.Server) string {
	t.Helper()
	return rpctest.Serve(t, rpctest.Telemetry(t, "transformer-test"), func(srv *rpcserver.Server) {
		srv.Register(transformerv1connect.TransformerServiceName)(transformerv1connect.NewTransformerServiceHandler(s, srv.HandlerOptions()...))
	})
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// caller is one way to call Decode, so every case runs through both clients.
type caller func(t *testing.T, req *transformerv1.DecodeRequest) (*transformerv1.DecodeResponse, codes.Code, string)

func callers(addr string) map[string]caller {
	return map[string]caller{
		"connect_client": func(t *testing.T, req *transformerv1.DecodeRequest) (*transformerv1.DecodeResponse, codes.Code, string) {
			c := transformerv1connect.NewTransformerServiceClient(http.DefaultClient, "http://"+addr)
			res, err := c.Decode(t.Context(), connect.NewRequest(req))
			if err != nil {
				return nil, codes.Code(connect.CodeOf(err)), err.Error()
			}
			return res.Msg, codes.OK, ""
		},
		"grpc_client": func(t *testing.T, req *transformerv1.DecodeRequest) (*transformerv1.DecodeResponse, codes.Code, string) {
			var res transformerv1.DecodeResponse
			err := rpctest.GRPCConn(t, addr).Invoke(t.Context(), transformerv1connect.TransformerServiceDecodeProcedure, req, &res)
			if err != nil {
				st := status.Convert(err)
				return nil, st.Code(), st.Message()
			}
			return &res, codes.OK, ""
		},
	}
}

func TestDecodeThroughConnectAndGRPC(t *testing.T) {
	t.Parallel()
	addr := startServer(t, &server.Server{Decoder: &pipeline.Decoder{}})
	// Ruuvi data format 5, "valid data" example of the RuuviTag specification.
	ruuvi := mustHex(t, "0201061bff99040512fc5394c37c0004fffc040cac364200cdcbb8334c884f")
	tests := []struct {
		name      string
		req       *transformerv1.DecodeRequest
		wantCode  codes.Code
		wantField string
	}{
		{name: "ruuvi_df5", req: &transformerv1.DecodeRequest{Payload: ruuvi, ScanResponse: mustHex(t, "0409527576")}},
		{name: "empty_payload", req: &transformerv1.DecodeRequest{}, wantCode: codes.InvalidArgument, wantField: "payload"},
		{name: "payload_too_long", req: &transformerv1.DecodeRequest{Payload: bytes.Repeat([]byte{0}, 256)}, wantCode: codes.InvalidArgument, wantField: "payload"},
		{name: "scan_response_too_long", req: &transformerv1.DecodeRequest{Payload: ruuvi, ScanResponse: bytes.Repeat([]byte{0}, 256)}, wantCode: codes.InvalidArgument, wantField: "scan_response"},
	}
	for cname, call := range callers(addr) {
		t.Run(cname, func(t *testing.T) {
			t.Parallel()
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					res, code, msg := call(t, tt.req)
					if code != tt.wantCode {
						t.Fatalf("code %v (%s), want %v", code, msg, tt.wantCode)
					}
					if tt.wantCode != codes.OK {
						if !strings.Contains(msg, tt.wantField) {
							t.Errorf("error %q does not name %s", msg, tt.wantField)
						}
						return
					}
					d := res.GetDecoded()
					if len(d.GetFormats()) != 1 || d.GetFormats()[0] != "ruuvi-rawv2" || len(d.GetMeasurements()) < 9 {
						t.Errorf("decoded %v, want the Ruuvi format with its measurements", d)
					}
					if d.GetAdvertisingData().GetCompanyName() == "" || d.GetAdvertisingData().GetLocalName() != "Ruv" {
						t.Errorf("advertising data %v, want the company name and the scan response's name", d.GetAdvertisingData())
					}
				})
			}
		})
	}
}

func TestListDecodersAndReloadWithoutPlugins(t *testing.T) {
	t.Parallel()
	addr := startServer(t, &server.Server{Decoder: &pipeline.Decoder{}})
	c := transformerv1connect.NewTransformerServiceClient(http.DefaultClient, "http://"+addr)
	res, err := c.ListDecoders(t.Context(), connect.NewRequest(&transformerv1.ListDecodersRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*transformerv1.Decoder{}
	for _, d := range res.Msg.GetDecoders() {
		byName[d.GetName()] = d
	}
	if r := byName["ruuvi"]; r.GetKind() != "builtin" || len(r.GetCompanyIds()) != 1 || r.GetCompanyIds()[0] != 0x0499 {
		t.Errorf("ruuvi decoder %v, want builtin selected by company 0x0499", r)
	}
	if b := byName["bthome-v2"]; len(b.GetServiceUuids()) != 1 || b.GetServiceUuids()[0] != "fcd2" {
		t.Errorf("bthome-v2 decoder %v, want service uuid fcd2", b)
	}

	var lres transformerv1.ListDecodersResponse
	if err := rpctest.GRPCConn(t, addr).Invoke(t.Context(), transformerv1connect.TransformerServiceListDecodersProcedure, &transformerv1.ListDecodersRequest{}, &lres); err != nil {
		t.Fatal(err)
	}
	if len(lres.GetDecoders()) != len(res.Msg.GetDecoders()) {
		t.Errorf("grpc listed %d decoders, connect %d", len(lres.GetDecoders()), len(res.Msg.GetDecoders()))
	}

	_, err = c.ReloadPlugins(t.Context(), connect.NewRequest(&transformerv1.ReloadPluginsRequest{}))
	if connect.CodeOf(err) != connect.CodeFailedPrecondition || !strings.Contains(err.Error(), "plugin") {
		t.Errorf("reload without plugins: %v, want failed_precondition about plugins", err)
	}
}
