package banner_test

import (
	"strings"
	"testing"

	"github.com/bluestream/bluestream/stack/banner"
)

func TestWriteNamesEverythingOnItsOwnLine(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	err := banner.Write(&b, banner.Info{
		Mode:      "process",
		Clusters:  []banner.Cluster{{Alias: "azure", Role: "(primary)", Brokers: []string{"127.0.0.1:19092"}}},
		Services:  []banner.Service{{Name: "ble-ingest", URL: "http://127.0.0.1:8081"}},
		Dashboard: "http://127.0.0.1:8085/",
		Missing:   []string{"analyzer"},
	})
	if err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"dashboard              http://127.0.0.1:8085/\n",
		"kafka azure (primary)  127.0.0.1:19092   (kcat -b 127.0.0.1:19092 -L)\n",
		"ble-ingest             http://127.0.0.1:8081   (Connect, gRPC, gRPC-Web; http://127.0.0.1:8081/metrics)\n",
		"analyzer               not started: services/analyzer/cmd/analyzer does not exist yet\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("banner lacks %q:\n%s", want, out)
		}
	}
	if !strings.HasSuffix(out, "press Ctrl-C to stop\n") {
		t.Errorf("banner does not end with the Ctrl-C hint:\n%s", out)
	}
}
