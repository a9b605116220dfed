package server

import (
	"context"
	"errors"
	"fmt"

	"connectrpc.com/connect"

	transformerv1 "github.com/bluestream/bluestream/gen/bluestream/transformer/v1"
	"github.com/bluestream/bluestream/gen/bluestream/transformer/v1/transformerv1connect"
	"github.com/bluestream/bluestream/services/transformer/internal/adstruct"
	"github.com/bluestream/bluestream/services/transformer/internal/pipeline"
	"github.com/bluestream/bluestream/services/transformer/internal/plugin"
)

// Plugins is a reloadable set of plugin decoders (*plugin.Registry).
type Plugins interface {
	// Manifests describes the loaded plugins.
	Manifests() []plugin.Manifest
	// Reload loads the plugin directory again and describes what it loaded.
	Reload(ctx context.Context) ([]plugin.Manifest, error)
}

// Server implements the TransformerService.
type Server struct {
	Decoder *pipeline.Decoder
	// Plugins is nil when no plugin directory is configured.
	Plugins Plugins
}

var _ transformerv1connect.TransformerServiceHandler = (*Server)(nil)

// Decode implements transformerv1connect.TransformerServiceHandler.
func (s *Server) Decode(ctx context.Context, req *connect.Request[transformerv1.DecodeRequest]) (*connect.Response[transformerv1.DecodeResponse], error) {
	// The validation interceptor checks these too; checking here keeps the
	// handler safe when mounted without it.
	if len(req.Msg.GetPayload()) == 0 {
		return nil, connect.NewError(connect.CodeInvalidArgument, errors.New("payload: must not be empty"))
	}
	decoded, err := s.Decoder.Payload(ctx, req.Msg.GetPayload(), req.Msg.GetScanResponse(), adstruct.Address{})
	var pe *plugin.Error
	switch {
	case errors.Is(err, plugin.ErrClosed):
		return nil, connect.NewError(connect.CodeUnavailable, err)
	case errors.As(err, &pe):
		// The payload selected a plugin that failed: the caller learns which
		// and why (time or memory limit, trap, bad output).
		return nil, connect.NewError(connect.CodeInternal, err)
	case err != nil:
		return nil, connect.NewError(connect.CodeInvalidArgument, err)
	}
	return connect.NewResponse(&transformerv1.DecodeResponse{Decoded: decoded}), nil
}

// ListDecoders implements transformerv1connect.TransformerServiceHandler.
func (s *Server) ListDecoders(context.Context, *connect.Request[transformerv1.ListDecodersRequest]) (*connect.Response[transformerv1.ListDecodersResponse], error) {
	res := &transformerv1.ListDecodersResponse{Decoders: Builtins()}
	if s.Plugins != nil {
		res.Decoders = append(res.Decoders, pluginDecoders(s.Plugins.Manifests())...)
	}
	return connect.NewResponse(res), nil
}

// ReloadPlugins implements transformerv1connect.TransformerServiceHandler.
func (s *Server) ReloadPlugins(ctx context.Context, _ *connect.Request[transformerv1.ReloadPluginsRequest]) (*connect.Response[transformerv1.ReloadPluginsResponse], error) {
	if s.Plugins == nil {
		return nil, connect.NewError(connect.CodeFailedPrecondition, errors.New("plugins: no plugin directory configured (--plugin-dir)"))
	}
	loaded, err := s.Plugins.Reload(ctx)
	if err != nil {
		// The previous set stays in service; the caller learns why the new one
		// did not load.
		return nil, connect.NewError(connect.CodeFailedPrecondition, fmt.Errorf("reloading plugins: %w", err))
	}
	return connect.NewResponse(&transformerv1.ReloadPluginsResponse{Plugins: pluginDecoders(loaded)}), nil
}
