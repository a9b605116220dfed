package plugin_test

import (
	"context"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/services/transformer/internal/decode"
	"github.com/bluestream/bluestream/services/transformer/internal/plugin"
	"github.com/bluestream/bluestream/services/transformer/internal/plugin/plugintest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	plugintest.Cleanup()
	os.Exit(code)
}

// Payloads reaching each test plugin: flags, then manufacturer data under the
// plugin's company id, or service data under its UUID.
const (
	// Demo sensor: version 1, 23.45 Cel, 55 %, 3060 mV.
	demoPayload   = "02010609ffffff01290937f40b"
	demoBadVer    = "02010609ffffff02290937f40b"
	loopPayload   = "02010604fffeff00"
	hogPayload    = "0201060416fdff00"
	plainRuuviish = "0201060303aafe"
)

func open(t *testing.T, limits plugin.Limits, names ...string) *plugin.Registry {
	t.Helper()
	r, err := plugin.Open(t.Context(), plugintest.Dir(t, names...), limits)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close(context.Background()) })
	return r
}

func extend(t *testing.T, r *plugin.Registry, payload string) (*blev1.DecodedPayload, error) {
	t.Helper()
	b, err := hex.DecodeString(payload)
	if err != nil {
		t.Fatal(err)
	}
	var res decode.Result
	decode.Decode(b, decode.Options{}, &res)
	out := &blev1.DecodedPayload{}
	return out, r.Extend(t.Context(), &res.AD, 0, out)
}

func TestExamplePluginDecodesItsSensor(t *testing.T) {
	t.Parallel()
	r := open(t, plugin.Limits{}, "example")
	out, err := extend(t, r, demoPayload)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"temperature": 23.45, "humidity": 55, "battery_voltage": 3.06}
	if len(out.GetMeasurements()) != len(want) || len(out.GetFormats()) != 1 || out.GetFormats()[0] != "example-demo-sensor" {
		t.Fatalf("got %v", out)
	}
	for _, m := range out.GetMeasurements() {
		if want[m.GetQuantity()] != m.GetValue() || m.GetFormat() != "example-demo-sensor" {
			t.Errorf("measurement %v, want %v", m, want[m.GetQuantity()])
		}
	}
	out, err = extend(t, r, demoBadVer)
	if err != nil {
		t.Fatal(err)
	}
	if p := out.GetProblems(); len(p) != 1 || p[0].GetOffset() != 7 || p[0].GetAdType() != 0xff || !strings.Contains(p[0].GetMessage(), "version 1") {
		t.Errorf("problems %v, want the plugin's one at the data's offset 7", p)
	}
	// Structures no plugin selects cost nothing and add nothing.
	if out, err = extend(t, r, plainRuuviish); err != nil || len(out.GetMeasurements())+len(out.GetProblems()) != 0 {
		t.Errorf("unselected payload: %v, %v", out, err)
	}
}

// TestSandboxStopsRunawayPlugins: a plugin that never returns is stopped at
// its time limit, one that allocates without end at its memory cap; both
// report why, and the other plugins keep working.
func TestSandboxStopsRunawayPlugins(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, payload, reason string
		limits                plugin.Limits
	}{
		{name: "loops_forever", payload: loopPayload, reason: plugin.ReasonTimeout,
			limits: plugin.Limits{CallTimeout: 200 * time.Millisecond}},
		// A generous time limit, so the memory cap is what stops it.
		{name: "allocates_forever", payload: hogPayload, reason: plugin.ReasonMemory,
			limits: plugin.Limits{CallTimeout: 30 * time.Second, MemoryPages: 384}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := open(t, tt.limits, "example", "loop", "hog")
			for range 2 { // the broken instance is replaced, and fails again the same way
				_, err := extend(t, r, tt.payload)
				var pe *plugin.Error
				if !errors.As(err, &pe) || pe.Reason != tt.reason {
					t.Fatalf("got %v, want a %s plugin error", err, tt.reason)
				}
			}
			if out, err := extend(t, r, demoPayload); err != nil || len(out.GetMeasurements()) != 3 {
				t.Errorf("example plugin after the %s one: %v, %v", tt.name, out, err)
			}
		})
	}
}

func TestReloadSwapsPluginsAndKeepsOldSetOnError(t *testing.T) {
	t.Parallel()
	dir := plugintest.Dir(t, "example")
	r, err := plugin.Open(t.Context(), dir, plugin.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close(context.Background()) })
	if m := r.Manifests(); len(m) != 1 || m[0].Name != "example-demo-sensor" || m[0].CompanyIDs[0] != 0xFFFF {
		t.Fatalf("manifests %+v", m)
	}

	plugintest.Install(t, dir, plugintest.Built(t, "loop"), "loop")
	loaded, err := r.Reload(t.Context())
	if err != nil || len(loaded) != 2 {
		t.Fatalf("reload: %v, %+v", err, loaded)
	}

	// A broken manifest fails the reload, naming file and field; the loaded
	// set keeps serving.
	if err := os.WriteFile(filepath.Join(dir, "loop.json"), []byte(`{"name":"loop","service_uuids":["12345"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = r.Reload(t.Context())
	if err == nil || !strings.Contains(err.Error(), "loop.json") || !strings.Contains(err.Error(), "service_uuids[0]") {
		t.Errorf("reload with a bad manifest: %v", err)
	}
	if len(r.Manifests()) != 2 {
		t.Errorf("after a failed reload %d plugins serve, want the previous 2", len(r.Manifests()))
	}
	if out, err := extend(t, r, demoPayload); err != nil || len(out.GetMeasurements()) != 3 {
		t.Errorf("after a failed reload: %v, %v", out, err)
	}
}

func TestLoadRejectsBadPlugins(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  string
	}{
		{name: "missing_manifest", setup: func(t *testing.T, dir string) {
			_ = os.Remove(filepath.Join(dir, "example.json"))
		}, want: "reading its manifest"},
		{name: "no_selector", setup: func(t *testing.T, dir string) {
			_ = os.WriteFile(filepath.Join(dir, "example.json"), []byte(`{"name":"x"}`), 0o644)
		}, want: "company_ids, service_uuids"},
		{name: "bad_name", setup: func(t *testing.T, dir string) {
			_ = os.WriteFile(filepath.Join(dir, "example.json"), []byte(`{"name":"Bad Name","company_ids":[1]}`), 0o644)
		}, want: "name:"},
		{name: "unknown_field", setup: func(t *testing.T, dir string) {
			_ = os.WriteFile(filepath.Join(dir, "example.json"), []byte(`{"name":"x","company_ids":[1],"fs":true}`), 0o644)
		}, want: `unknown field "fs"`},
		{name: "not_wasm", setup: func(t *testing.T, dir string) {
			_ = os.WriteFile(filepath.Join(dir, "example.wasm"), []byte("not wasm"), 0o644)
		}, want: "compiling"},
		{name: "same_selector_twice", setup: func(t *testing.T, dir string) {
			plugintest.Install(t, dir, plugintest.Built(t, "example"), "example")
			code, _ := os.ReadFile(filepath.Join(dir, "example.wasm"))
			_ = os.WriteFile(filepath.Join(dir, "zz.wasm"), code, 0o644)
			_ = os.WriteFile(filepath.Join(dir, "zz.json"), []byte(`{"name":"zz","company_ids":[65535]}`), 0o644)
		}, want: "already selects plugin example-demo-sensor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := plugintest.Dir(t, "example")
			tt.setup(t, dir)
			_, err := plugin.Open(t.Context(), dir, plugin.Limits{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want it to contain %q", err, tt.want)
			}
		})
	}
	if _, err := plugin.Open(t.Context(), filepath.Join(t.TempDir(), "absent"), plugin.Limits{}); err == nil {
		t.Error("opening a missing directory succeeded")
	}
}

// BenchmarkExamplePlugin is the cost of one plugin call from the host's side:
// input copy, guest decode, JSON output parsed and mapped.
func BenchmarkExamplePlugin(b *testing.B) {
	r, err := plugin.Open(b.Context(), plugintest.Dir(b, "example"), plugin.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close(context.Background())
	payload, _ := hex.DecodeString(demoPayload)
	var res decode.Result
	decode.Decode(payload, decode.Options{}, &res)
	b.ReportAllocs()
	for b.Loop() {
		out := &blev1.DecodedPayload{}
		if err := r.Extend(b.Context(), &res.AD, 0, out); err != nil || len(out.Measurements) != 3 {
			b.Fatalf("%v %v", out, err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
}
