package e2e_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bluestream/bluestream/platform/topic"
)

// grpcurlVersion is the grpcurl the suite installs (../shared/TOOLCHAIN.md).
const grpcurlVersion = "v1.9.4"

// TestKcatSeesCloudEventsHeaders reads an advertisement with kcat, a Kafka
// client nobody here wrote, and checks the CloudEvents binary-mode headers.
func TestKcatSeesCloudEventsHeaders(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	kcat, err := exec.LookPath("kcat")
	if err != nil {
		t.Skip("kcat is not installed (Debian package kcat): the Kafka interop check is skipped")
	}
	out, err := exec.CommandContext(t.Context(), kcat, "-C", "-b", st.Clusters.Primary.ListenAddrs()[0],
		"-t", topic.Advertisements, "-c", "1", "-e", "-J", "-q").Output()
	if err != nil {
		t.Fatalf("kcat: %v", err)
	}
	var msg struct {
		Topic   string   `json:"topic"`
		Key     string   `json:"key"`
		Headers []string `json:"headers"`
	}
	if err := json.Unmarshal(out, &msg); err != nil {
		t.Fatalf("kcat -J printed %q: %v", out, err)
	}
	headers := map[string]string{}
	for i := 0; i+1 < len(msg.Headers); i += 2 {
		headers[msg.Headers[i]] = msg.Headers[i+1]
	}
	want := map[string]string{
		"ce_specversion": "1.0",
		"ce_type":        "bluestream.ble.v1.AdvertisementReceived",
		"content-type":   "application/protobuf",
	}
	for k, v := range want {
		if headers[k] != v {
			t.Errorf("header %s = %q, want %q (all: %v)", k, headers[k], v, headers)
		}
	}
	for _, k := range []string{"ce_id", "ce_source", "ce_time", "traceparent"} {
		if headers[k] == "" {
			t.Errorf("header %s missing (all: %v)", k, headers)
		}
	}
	if msg.Key == "" {
		t.Error("record has no key: the aggregate id keeps a device's events in order")
	}
}

// TestGrpcurlListsAndCallsByReflection uses grpcurl, which knows nothing of our
// protos, to list a service's API by reflection and call it.
func TestGrpcurlListsAndCallsByReflection(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	grpcurl := installGrpcurl(t)
	addr := strings.TrimPrefix(st.URLs["ble-ingest"], "http://")
	out, err := exec.CommandContext(t.Context(), grpcurl, "-plaintext", addr, "list").CombinedOutput()
	if err != nil {
		t.Fatalf("grpcurl list: %v\n%s", err, out)
	}
	for _, svc := range []string{"bluestream.ingest.v1.IngestService"} {
		if !strings.Contains(string(out), svc) {
			t.Errorf("grpcurl list shows\n%s\nwithout %s", out, svc)
		}
	}
	out, err = exec.CommandContext(t.Context(), grpcurl, "-plaintext", "-d", "{}", addr,
		"bluestream.ingest.v1.IngestService/ListGateways").CombinedOutput()
	if err != nil {
		t.Fatalf("grpcurl ListGateways: %v\n%s", err, out)
	}
	var res struct {
		Gateways []struct {
			GatewayID string `json:"gatewayId"`
		} `json:"gateways"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("ListGateways printed %q: %v", out, err)
	}
	if len(res.Gateways) == 0 {
		t.Fatalf("ListGateways through grpcurl shows no gateway while the simulator runs:\n%s", out)
	}
}

// installGrpcurl builds grpcurl once into the user cache and reuses it.
func installGrpcurl(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("grpcurl"); err == nil {
		return p
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Skipf("no cache directory to install grpcurl into: %v", err)
	}
	bin := filepath.Join(cache, "bluestream", "tools", "grpcurl-"+grpcurlVersion)
	path := filepath.Join(bin, "grpcurl")
	if _, err := os.Stat(path); err == nil {
		return path
	}
	cmd := exec.CommandContext(t.Context(), "go", "install", "github.com/fullstorydev/grpcurl/cmd/grpcurl@"+grpcurlVersion)
	cmd.Env = append(os.Environ(), "GOBIN="+bin, "GOWORK=off", "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("installing grpcurl %s failed (no module proxy?): %v\n%s", grpcurlVersion, err, out)
	}
	return path
}
