package main_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"connectrpc.com/connect"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	analyzerv1 "github.com/bluestream/bluestream/gen/bluestream/analyzer/v1"
	"github.com/bluestream/bluestream/gen/bluestream/analyzer/v1/analyzerv1connect"
	"github.com/bluestream/bluestream/platform/browsertest"
	"github.com/bluestream/bluestream/stack/h2c"
	"github.com/bluestream/bluestream/stack/health"
	"github.com/bluestream/bluestream/stack/registration"
)

var (
	serviceLine = regexp.MustCompile(`^\s+([a-z-]+)\s+(http://\S+)\s`)
	modeLine    = regexp.MustCompile(`^bluestream is running \((\S+) mode\)`)
)

// TestMakeRunServesAndStopsOnCtrlC is `make run` as a person uses it: start
// the program, wait for the addresses, see every service healthy and the
// dashboard's API showing simulated devices, press Ctrl-C, get a clean exit.
// Then again over the same data directory, as the next day's `make run` does,
// and then with every service inside the program's own process.
func TestMakeRunServesAndStopsOnCtrlC(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs every service")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bluestream")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building the stack: %v\n%s", err, out)
	}
	data := filepath.Join(dir, "data")
	t.Run("first_run", func(t *testing.T) { runUntilCtrlC(t, bin, data, "process") })
	t.Run("restart_over_kept_data", func(t *testing.T) { runUntilCtrlC(t, bin, data, "process") })
	t.Run("inprocess", func(t *testing.T) { runUntilCtrlC(t, bin, filepath.Join(dir, "data-inprocess"), "inprocess") })
	t.Run("unknown_mode", func(t *testing.T) {
		out, err := exec.Command(bin, "--mode", "threads").CombinedOutput()
		if err == nil || !strings.Contains(string(out), "--mode") || !strings.Contains(string(out), "want process or inprocess, got") {
			t.Errorf("--mode threads: %v\n%s", err, out)
		}
	})
}

func runUntilCtrlC(t *testing.T, bin, data, mode string) {
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	logsBefore, _ := os.ReadFile(filepath.Join(data, "logs", "services.log"))
	cmd := exec.Command(bin, "--mode", mode, "--data-dir", data, "--primary-port", "0", "--mirror-port", "0", "--base-port", "0", "--fleet", "8", "--speed", "2")
	// A text log format set for other programs must not reach the services:
	// the stack reads their JSON lines.
	cmd.Env = append(os.Environ(), "BLUESTREAM_LOG_FORMAT=text")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	}()

	urls, brokers, gotMode := readBanner(t, stdout)
	go func() { _, _ = io.Copy(io.Discard, stdout); exited <- cmd.Wait() }()
	if gotMode != mode {
		t.Errorf("banner says %q mode, want %q", gotMode, mode)
	}
	for _, name := range []string{"ble-ingest", "transformer", "enricher", "mirror-health"} {
		if urls[name] == "" {
			t.Errorf("banner names no URL for %s: %v", name, urls)
		}
	}
	if brokers != 2 {
		t.Errorf("banner shows %d Kafka clusters, want 2", brokers)
	}
	hc := h2c.Client()
	for name, url := range urls {
		status, err := health.Check(ctx, hc, url, "")
		if err != nil || status != healthpb.HealthCheckResponse_SERVING {
			t.Errorf("%s at %s: health %v, %v", name, url, status, err)
		}
	}
	if url := urls["analyzer"]; url != "" {
		dashboardShowsDevices(ctx, t, url)
		dashboardRendersTheOffice(t, url)
	}

	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit after Ctrl-C: %v\n%s", err, stderr.String())
		}
	case <-ctx.Done():
		t.Fatalf("still running after Ctrl-C\n%s", stderr.String())
	}
	logs, err := os.ReadFile(filepath.Join(data, "logs", "services.log"))
	if err != nil {
		t.Fatal(err)
	}
	logs = logs[len(logsBefore):] // this run's lines: the file is appended to
	for name := range urls {
		if !strings.Contains(string(logs), name+` | {`) || !regexp.MustCompile(`(?m)^`+name+` \| .*"msg":"stopped"`).Match(logs) {
			t.Errorf("%s did not log a clean stop", name)
		}
	}
}

// readBanner reads the program's output up to "press Ctrl-C", returning the
// service URLs, the number of Kafka clusters it names and the mode.
func readBanner(t *testing.T, r io.Reader) (map[string]string, int, string) {
	t.Helper()
	urls := map[string]string{}
	brokers := 0
	mode := ""
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "press Ctrl-C") {
			return urls, brokers, mode
		}
		if m := modeLine.FindStringSubmatch(line); m != nil {
			mode = m[1]
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(line), "kafka ") {
			brokers++
			continue
		}
		if m := serviceLine.FindStringSubmatch(line); m != nil && m[1] != "dashboard" {
			urls[m[1]] = m[2]
		}
	}
	t.Fatalf("output ended before the addresses were printed: %v", sc.Err())
	return nil, 0, ""
}

// dashboardRendersTheOffice opens the dashboard in a real browser, as the
// person running make run would, and reads the office's zones, their
// occupancy, the devices and the pipeline's freshness off the page.
func dashboardRendersTheOffice(t *testing.T, url string) {
	t.Helper()
	dom := browsertest.DOM(t, browsertest.Chromium(t), url+"/")
	for what, re := range map[string]string{
		"a zone of the office with its occupancy": `data-zone="` + registration.Site + `/[^"]+"><td>[^<]+</td><td class="present">\d+</td>`,
		"a simulated device":                      `data-device="[^"]+"`,
		"the pipeline's freshness":                `id="freshness" class="muted">newest event \d+ s ago`,
	} {
		if !regexp.MustCompile(re).MatchString(dom) {
			t.Errorf("the dashboard does not show %s (want /%s/) in:\n%s", what, re, dom)
		}
	}
}

// dashboardShowsDevices polls the analyzer's API, which the dashboard shows,
// until simulated devices appear, and fetches the dashboard page itself.
func dashboardShowsDevices(ctx context.Context, t *testing.T, url string) {
	t.Helper()
	res, err := http.Get(url + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("dashboard %s/: %s", url, res.Status)
	}
	c := analyzerv1connect.NewAnalyzerServiceClient(h2c.Client(), url)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		res, err := c.ListDevices(ctx, connect.NewRequest(&analyzerv1.ListDevicesRequest{}))
		if err == nil && len(res.Msg.GetDevices()) > 0 {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the analyzer shows no devices: %v", err)
		case <-tick.C:
		}
	}
}
