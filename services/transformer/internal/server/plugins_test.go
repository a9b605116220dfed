package server_test

import (
	"context"
	"encoding/hex"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"

	transformerv1 "github.com/bluestream/bluestream/gen/bluestream/transformer/v1"
	"github.com/bluestream/bluestream/gen/bluestream/transformer/v1/transformerv1connect"
	"github.com/bluestream/bluestream/services/transformer/internal/pipeline"
	"github.com/bluestream/bluestream/services/transformer/internal/plugin"
	"github.com/bluestream/bluestream/services/transformer/internal/plugin/plugintest"
	"github.com/bluestream/bluestream/services/transformer/internal/server"
)

func TestMain(m *testing.M) {
	code := m.Run()
	plugintest.Cleanup()
	os.Exit(code)
}

func TestPluginsThroughTheAPI(t *testing.T) {
	t.Parallel()
	dir := plugintest.Dir(t, "example")
	reg, err := plugin.Open(t.Context(), dir, plugin.Limits{CallTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = reg.Close(context.Background()) })
	addr := startServer(t, &server.Server{Decoder: &pipeline.Decoder{Plugins: reg}, Plugins: reg})
	c := transformerv1connect.NewTransformerServiceClient(http.DefaultClient, "http://"+addr)

	demo, _ := hex.DecodeString("02010609ffffff01290937f40b")
	res, err := c.Decode(t.Context(), connect.NewRequest(&transformerv1.DecodeRequest{Payload: demo}))
	if err != nil {
		t.Fatal(err)
	}
	if m := res.Msg.GetDecoded().GetMeasurements(); len(m) != 3 || m[0].GetFormat() != "example-demo-sensor" {
		t.Errorf("Decode with the example plugin: %v", m)
	}

	plugintest.Install(t, dir, plugintest.Built(t, "loop"), "loop")
	reloaded, err := c.ReloadPlugins(t.Context(), connect.NewRequest(&transformerv1.ReloadPluginsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	if p := reloaded.Msg.GetPlugins(); len(p) != 2 || p[1].GetName() != "loop" || p[1].GetKind() != "plugin" || p[1].GetCompanyIds()[0] != 0xFFFE {
		t.Errorf("reloaded plugins %v", p)
	}
	list, err := c.ListDecoders(t.Context(), connect.NewRequest(&transformerv1.ListDecodersRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(list.Msg.GetDecoders()); n != len(server.Builtins())+2 {
		t.Errorf("listed %d decoders, want the built-ins and 2 plugins", n)
	}

	loop, _ := hex.DecodeString("02010604fffeff00")
	_, err = c.Decode(t.Context(), connect.NewRequest(&transformerv1.DecodeRequest{Payload: loop}))
	if connect.CodeOf(err) != connect.CodeInternal || !strings.Contains(err.Error(), plugin.ReasonTimeout) {
		t.Errorf("Decode selecting the looping plugin: %v, want internal with %s", err, plugin.ReasonTimeout)
	}
}
