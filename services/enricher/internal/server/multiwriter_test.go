package server_test

import (
	"sync"
	"testing"

	"connectrpc.com/connect"
	"github.com/google/go-cmp/cmp"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	registryv1 "github.com/bluestream/bluestream/gen/bluestream/registry/v1"
	"github.com/bluestream/bluestream/platform/kafkatest"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/enricher/internal/registrylog"
)

func registerGateway(t *testing.T, f *fixture, id string) error {
	t.Helper()
	_, err := f.connect().RegisterGateway(t.Context(), connect.NewRequest(&registryv1.RegisterGatewayRequest{
		GatewayId: id, Tenant: "acme", Placement: placement("lobby", 0)}))
	return err
}

// Two instances take turns: each write fences the other's writer, and a
// command whose commit was fenced is decided again and lands once.
func TestInstancesTakingTurnsEachCommitOnce(t *testing.T) {
	t.Parallel()
	cluster := kafkatest.New(t, "azure", kfake.SeedTopics(2, topic.RegistryEvents, topic.Enriched))
	a, b := startOn(t, cluster), startOn(t, cluster)
	for i, f := range []*fixture{a, b, a, b} {
		if err := registerGateway(t, f, "gw-"+string(rune('1'+i))); err != nil {
			t.Fatalf("command %d: %v", i+1, err)
		}
	}
	if n := a.appended(t); n != 4 {
		t.Errorf("the log holds %d events, want 4", n)
	}
	for _, f := range []*fixture{a, b} {
		if err := f.follower.WaitFor(t.Context(), ends(t, cluster)); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(a.live.Snapshot(), b.live.Snapshot()); diff != "" {
		t.Errorf("the instances' projections differ (-a +b):\n%s", diff)
	}
}

// An instance whose projection lags the log must not decide a command on it:
// B has not yet seen A register gw-1 when it is asked to register gw-1 too.
func TestAnInstanceBehindTheLogCatchesUpBeforeDeciding(t *testing.T) {
	t.Parallel()
	cluster := kafkatest.New(t, "azure", kfake.SeedTopics(2, topic.RegistryEvents, topic.Enriched))
	release := make(chan struct{})
	// B's follower fetches are held until released, so B lags the log.
	cluster.ControlKey(int16(kmsg.Fetch), func(req kmsg.Request) (kmsg.Response, error, bool) {
		if req.(*kmsg.FetchRequest).Rack == "lagging" {
			cluster.SleepControl(func() { <-release })
		}
		return nil, nil, false
	})
	a, b := startOn(t, cluster), startOn(t, cluster, kgo.Rack("lagging"))
	if err := registerGateway(t, a, "gw-1"); err != nil {
		t.Fatal(err)
	}
	// B asks for the committed end once it prepares to decide: from then on
	// only its follower stands between it and the log.
	prepared := make(chan struct{})
	var once sync.Once
	cluster.ControlKey(int16(kmsg.ListOffsets), func(req kmsg.Request) (kmsg.Response, error, bool) {
		if req.(*kmsg.ListOffsetsRequest).IsolationLevel == 1 {
			once.Do(func() { close(prepared) })
		}
		return nil, nil, false // observe only: the cluster answers
	})
	result := make(chan error, 1)
	go func() { result <- registerGateway(t, b, "gw-1") }()
	select {
	case err := <-result:
		t.Fatalf("B answered %v before looking at the log: it decided on a projection without A's gw-1", err)
	case <-prepared:
	}
	close(release)
	if err := <-result; connect.CodeOf(err) != connect.CodeAlreadyExists {
		t.Fatalf("B registering gw-1 again: %v, want already_exists", err)
	}
	if n := a.appended(t); n != 1 {
		t.Errorf("the log holds %d events, want 1", n)
	}
}

func ends(t *testing.T, cluster *kafkatest.Cluster) map[int32]int64 {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(cluster.ListenAddrs()...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	e, err := registrylog.CommittedEnds(t.Context(), cl, topic.RegistryEvents)
	if err != nil {
		t.Fatal(err)
	}
	return e
}
