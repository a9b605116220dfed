package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/kafkatest"
	"github.com/bluestream/bluestream/platform/logbuf"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/ble-ingest/service"
)

// The test binary doubles as the command, so tests see main's exit codes.
func TestMain(m *testing.M) {
	if os.Getenv("BLUESTREAM_SIMULATOR_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func command(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "BLUESTREAM_SIMULATOR_TEST_MAIN=1")
	return cmd
}

func noEnv(string) (string, bool) { return "", false }

func TestHelpExitsZeroAndBadSettingsOne(t *testing.T) {
	t.Parallel()
	out, err := command(t, "--help").CombinedOutput()
	if err != nil {
		t.Fatalf("--help: %v\n%s", err, out)
	}
	for _, flag := range []string{"-ingest-endpoint", "-sim-devices", "-sim-gateways", "-sim-seed", "-sim-speed", "-log-format", "BLUESTREAM_SIM_DEVICES"} {
		if !strings.Contains(string(out), flag) {
			t.Errorf("usage lacks %s:\n%s", flag, out)
		}
	}
	cmd := command(t, "--sim-gateways=0")
	cmd.Env = append(cmd.Env, "BLUESTREAM_INGEST_ENDPOINT=")
	out, err = cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("bad settings: %v, want exit status 1\n%s", err, out)
	}
	for _, want := range []string{"--sim-gateways (BLUESTREAM_SIM_GATEWAYS)", "--ingest-endpoint (BLUESTREAM_INGEST_ENDPOINT)"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("error lacks %s:\n%s", want, out)
		}
	}
}

// primary is a ble-ingest publishing to an embedded cluster, as the primary
// region runs it.
func primary(t *testing.T) (addr string, cluster *kafkatest.Cluster) {
	t.Helper()
	cluster = kafkatest.New(t, "azure", kfake.SeedTopics(3, topic.Advertisements))
	tel, err := telemetry.Setup(context.Background(), "ble-ingest", telemetry.WithoutGlobals(), telemetry.WithLogOutput(&strings.Builder{}))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready, done := make(chan string, 1), make(chan error, 1)
	go func() {
		done <- app.Run(ctx, "ble-ingest", []string{"--listen-addr=127.0.0.1:0", "--kafka-brokers=" + strings.Join(cluster.ListenAddrs(), ",")},
			service.New(), app.Options{Env: noEnv, Telemetry: tel, Ready: func(a net.Addr) { ready <- a.String() }})
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("ble-ingest: %v", err)
	}
	return addr, cluster
}

// lockedLog is the simulator's log, which the test searches.
type lockedLog struct{ logbuf.Buffer }

// line returns the JSON log line with msg.
func (l *lockedLog) line(t *testing.T, msg string) map[string]any {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(l.String()))
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil && m["msg"] == msg {
			return m
		}
	}
	t.Fatalf("no %q in the log:\n%s", msg, l.String())
	return nil
}

// Thirty virtual seconds of 40 devices heard by 6 gateways reach a real
// IngestService and land in Kafka: every advertisement the simulator
// acknowledged, from the generated gateways, and nothing twice.
func TestFleetReachesTheIngestService(t *testing.T) {
	t.Parallel()
	addr, cluster := primary(t)
	var logs lockedLog
	env := map[string]string{ // the Packer image's variables
		"BLUESTREAM_INGEST_ENDPOINT": "http://" + addr,
		"BLUESTREAM_SIM_DEVICES":     "40",
		"BLUESTREAM_SIM_GATEWAYS":    "6",
		"BLUESTREAM_LOG_FORMAT":      "json",
	}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	args := []string{"--sim-speed=0", "--sim-for=30s", "--sim-seed=7", "--sim-gateway-prefix=rig-a-"}
	if err := run(t.Context(), args, lookup, os.Stderr, telemetry.WithoutGlobals(), telemetry.WithLogOutput(&logs)); err != nil {
		t.Fatalf("run: %v", err)
	}
	done := logs.line(t, "simulation finished")
	acked := int(done["acknowledged"].(float64))
	if acked == 0 || done["unsent"].(float64) != 0 || done["sent"].(float64) != float64(acked) {
		t.Fatalf("simulation finished with %v", done)
	}

	cl, err := kgo.NewClient(kgo.SeedBrokers(cluster.ListenAddrs()...), kgo.ConsumeTopics(topic.Advertisements),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	ends, err := kadm.NewClient(cl).ListEndOffsets(ctx, topic.Advertisements)
	if err != nil {
		t.Fatal(err)
	}
	var published int
	ends.Each(func(o kadm.ListedOffset) { published += int(o.Offset) })
	if published != acked {
		t.Fatalf("Kafka holds %d events, the simulator had %d acknowledged", published, acked)
	}
	gateways, devices, ids := map[string]int{}, map[string]bool{}, map[string]bool{}
	for n := 0; n < published; {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("read %d of %d events", n, published)
		}
		for _, r := range fs.Records() {
			var e blev1.AdvertisementReceived
			if err := eventbus.Decode(r, &e); err != nil {
				t.Fatal(err)
			}
			id, _ := eventbus.Header(r, eventbus.HeaderID)
			if ids[id] {
				t.Fatalf("event %s published twice", id)
			}
			ids[id] = true
			gateways[e.GetGatewayId()]++
			devices[string(e.GetAdvertisement().GetAddress())] = true
			n++
		}
	}
	for gw := range gateways {
		if !strings.HasPrefix(gw, "rig-a-gw-00") || gw > "rig-a-gw-006" {
			t.Errorf("event from gateway %q, not one of rig-a-gw-001..006", gw)
		}
	}
	t.Logf("%d advertisements from %d devices at gateways %v", published, len(devices), gateways)
	if len(gateways) < 4 || len(devices) < 30 {
		t.Errorf("heard %d devices at %d gateways (%v); want most of the 40 devices at most of the 6 gateways", len(devices), len(gateways), gateways)
	}
}

// The generated floor gives each gateway a room of its own, in the room's
// middle, with ids the contract accepts.
func TestFloorHasARoomPerGateway(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 4, 7, 20, 101} {
		p := floor(n, "sim-host-")
		if len(p.Gateways) != n || len(p.Zones) != n {
			t.Fatalf("%d gateways: plan has %d gateways and %d zones", n, len(p.Gateways), len(p.Zones))
		}
		ids := map[string]bool{}
		for i, g := range p.Gateways {
			if z, ok := p.ZoneOf(g.Pos); !ok || z.ID != p.Zones[i].ID {
				t.Errorf("%d gateways: %s at %v is in %v, want %s", n, g.ID, g.Pos, z.ID, p.Zones[i].ID)
			}
			if ids[g.ID] {
				t.Errorf("%d gateways: %s twice", n, g.ID)
			}
			ids[g.ID] = true
		}
	}
}
