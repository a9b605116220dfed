package service_test

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"google.golang.org/protobuf/types/known/timestamppb"

	analyzerv1 "github.com/bluestream/bluestream/gen/bluestream/analyzer/v1"
	"github.com/bluestream/bluestream/gen/bluestream/analyzer/v1/analyzerv1connect"
	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/platform/browsertest"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/kafkatest"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/analyzer/service"
)

var input = topic.Remote("azure", topic.Enriched)

func noEnv(string) (string, bool) { return "", false }

func TestInvalid_settings_name_the_flag(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ arg, flag string }{
		{"--k=0", "k"},
		{"--alerts-topic=" + input, "alerts-topic"},
		{"--battery-low-percent=150", "battery-low-percent"},
		{"--idle-after=0s", "idle-after"},
	} {
		err := app.Run(t.Context(), "analyzer", []string{"--store-dir=" + t.TempDir(), tt.arg}, service.New(), app.Options{Env: noEnv})
		if err == nil || !strings.Contains(err.Error(), tt.flag) {
			t.Errorf("%s: %v, want an error naming %s", tt.arg, err, tt.flag)
		}
	}
}

// running is an analyzer process started by the test.
type running struct {
	url  string
	stop func() error
}

func startAnalyzer(t *testing.T, cluster *kafkatest.Cluster, args ...string) *running {
	t.Helper()
	tel, err := telemetry.Setup(t.Context(), "analyzer-main-test", telemetry.WithoutGlobals())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	args = append([]string{"--kafka-brokers=" + strings.Join(cluster.ListenAddrs(), ","), "--idle-after=100ms"}, args...)
	go func() {
		done <- app.Run(ctx, "analyzer", args, service.New(), app.Options{Listener: ln, Telemetry: tel, Env: noEnv})
	}()
	stop := sync.OnceValue(func() error { cancel(); return <-done })
	r := &running{url: "http://" + ln.Addr().String(), stop: stop}
	t.Cleanup(func() { _ = stop() })
	return r
}

// produceSite writes a small site's last minutes, ending now: two sensors
// and a visitor in the lab, one sensor with a failing battery.
func produceSite(t *testing.T, cluster *kafkatest.Cluster) {
	t.Helper()
	tel, err := telemetry.Setup(t.Context(), "enricher-stand-in", telemetry.WithoutGlobals())
	if err != nil {
		t.Fatal(err)
	}
	prod, err := eventbus.NewClient(cluster.Config(), tel, "//bluestream/enricher", "")
	if err != nil {
		t.Fatal(err)
	}
	defer prod.Close()
	now := time.Now().UTC().Truncate(time.Second)
	var recs []*kgo.Record
	for step := 4; step >= 0; step-- {
		at := now.Add(-time.Duration(step) * 20 * time.Second)
		for _, d := range []struct {
			id      string
			cat     blev1.SubjectCategory
			battery float64
		}{
			{"sensor-a", blev1.SubjectCategory_SUBJECT_CATEGORY_SENSOR, 80},
			{"sensor-b", blev1.SubjectCategory_SUBJECT_CATEGORY_SENSOR, 7},
			{"visitor-1", blev1.SubjectCategory_SUBJECT_CATEGORY_VISITOR, 60},
		} {
			msg := &blev1.ReadingEnriched{
				DevicePseudonym: d.id, ReceivedAt: timestamppb.New(at), EnrichedAt: timestamppb.New(at),
				Place:     &blev1.Place{Site: "ber", Building: "b1", Floor: "1", Zone: "lab"},
				Receivers: []*blev1.Receiver{{GatewayId: "gw-lab", Rssi: -60}},
				Measurements: []*blev1.Measurement{
					{Quantity: "temperature", Value: 21.5, Unit: "Cel"}, {Quantity: "battery", Value: d.battery, Unit: "%"}},
				DataProtection: &blev1.DataProtection{SubjectCategory: d.cat, LegalBasis: blev1.LegalBasis_LEGAL_BASIS_LEGITIMATE_INTEREST, RetentionDays: 30},
			}
			r, err := prod.Encoder.Record(t.Context(), eventbus.Event{Topic: input, Key: d.id, Msg: msg, Time: at})
			if err != nil {
				t.Fatal(err)
			}
			recs = append(recs, r)
		}
	}
	if err := prod.ProduceSync(t.Context(), recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

// waitPresent polls the API until the lab shows want devices.
func waitPresent(t *testing.T, url string, want uint32) *analyzerv1.GetZoneOccupancyResponse {
	t.Helper()
	client := analyzerv1connect.NewAnalyzerServiceClient(http.DefaultClient, url)
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := client.GetZoneOccupancy(t.Context(), connect.NewRequest(&analyzerv1.GetZoneOccupancyRequest{Zone: "ber/b1/1/lab"}))
		if err == nil && len(res.Msg.GetZones()) == 1 && res.Msg.GetZones()[0].GetPresent() == want {
			return res.Msg
		}
		if time.Now().After(deadline) {
			t.Fatalf("lab occupancy never reached %d: %v %v", want, res, err)
		}
		<-time.After(20 * time.Millisecond)
	}
}

func TestRebuild_answers_as_before(t *testing.T) {
	t.Parallel()
	cluster := kafkatest.New(t, "aws", kfake.SeedTopics(2, input, topic.DLQ(input), topic.Alerts))
	produceSite(t, cluster)
	dir := t.TempDir()
	first := startAnalyzer(t, cluster, "--store-dir="+dir)
	before := waitPresent(t, first.url, 3)
	if err := first.stop(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "analyzer.db")); err != nil {
		t.Fatal(err)
	}
	again := startAnalyzer(t, cluster, "--store-dir="+dir, "--rebuild")
	after := waitPresent(t, again.url, 3)
	if !after.GetAsOf().AsTime().Equal(before.GetAsOf().AsTime()) || after.GetZones()[0].GetPeak() != before.GetZones()[0].GetPeak() {
		t.Errorf("after rebuild %v, before %v", after, before)
	}
	if err := again.stop(); err != nil {
		t.Fatal(err)
	}
}

// TestDashboard_in_headless_chromium loads the page as a person would and
// reads what it shows once its scripts have called the API.
func TestDashboard_in_headless_chromium(t *testing.T) {
	t.Parallel()
	browser := browsertest.Chromium(t)
	cluster := kafkatest.New(t, "aws", kfake.SeedTopics(2, input, topic.DLQ(input), topic.Alerts))
	produceSite(t, cluster)
	a := startAnalyzer(t, cluster, "--store-dir="+t.TempDir())
	waitPresent(t, a.url, 3)

	dom := browsertest.DOM(t, browser, a.url+"/")
	checks := []struct {
		what string
		re   string
	}{
		{"lab occupancy of 3", `data-zone="ber/b1/1/lab"><td>ber/b1/1/lab</td><td class="present">3</td>`},
		{"sensor-a's temperature", `data-device="sensor-a">.*?temperature 21\.5 Cel`},
		{"sensor-b's battery alert", `<li data-alert="[0-9a-f]+" class="warning">battery_low · sensor-b in ber/b1/1/lab`},
		{"pipeline freshness", `id="freshness" class="muted">newest event \d+ s ago`},
	}
	if shot := os.Getenv("BLUESTREAM_DASHBOARD_SCREENSHOT"); shot != "" {
		browsertest.Screenshot(t, browser, a.url+"/", shot) // for a person to look at
	}
	for _, c := range checks {
		if !regexp.MustCompile(c.re).MatchString(dom) {
			t.Errorf("page does not show %s (want /%s/) in:\n%s", c.what, c.re, dom)
		}
	}
}
