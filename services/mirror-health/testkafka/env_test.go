//go:build kafka

package testkafka

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// clusters are the brokers run.sh started.
type clusters struct {
	azure, aws []string
}

// env reads run.sh's settings and skips the test when they are absent, so
// `go test -tags kafka` outside run.sh says why nothing ran.
func env(t *testing.T) clusters {
	t.Helper()
	azure, aws := os.Getenv("BLUESTREAM_TEST_AZURE_BROKERS"), os.Getenv("BLUESTREAM_TEST_AWS_BROKERS")
	if azure == "" || aws == "" {
		t.Skip("BLUESTREAM_TEST_AZURE_BROKERS and BLUESTREAM_TEST_AWS_BROKERS unset: run services/mirror-health/testkafka/run.sh")
	}
	return clusters{azure: strings.Split(azure, ","), aws: strings.Split(aws, ",")}
}

func client(t *testing.T, brokers []string, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(brokers...)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

func createTopic(t *testing.T, brokers []string, partitions int32, topic string) {
	t.Helper()
	resp, err := kadm.NewClient(client(t, brokers)).CreateTopic(t.Context(), partitions, 1, nil, topic)
	if err == nil {
		err = resp.Err
	}
	if err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
		t.Fatalf("creating %s: %v", topic, err)
	}
}

// eventually polls cond every interval until it holds or the deadline
// passes, and returns how long it took.
func eventually(t *testing.T, within, every time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for !cond() {
		if time.Since(start) > within {
			t.Fatalf("%s: not within %s", what, within)
		}
		select {
		case <-t.Context().Done():
			t.Fatal(t.Context().Err())
		case <-tick.C:
		}
	}
	return time.Since(start)
}

// process is a child the test starts and kills: MirrorMaker 2, or the
// built-in mirror in a copy of the test binary.
type process struct {
	cmd  *exec.Cmd
	done chan error
}

// start runs the command with its output in logName under run.sh's log
// directory (shown when the suite fails). The child dies with the test
// process, so a failed test never leaves it running.
func start(t *testing.T, logName string, name string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(name, args...)
	dir := os.Getenv("BLUESTREAM_TEST_LOG_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	out, err := os.OpenFile(filepath.Join(dir, logName), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	p := &process{cmd: cmd, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait(); _ = out.Close() }()
	t.Cleanup(func() { p.kill(t) })
	return p
}

// exited reports whether the process ended by itself.
func (p *process) exited() bool {
	select {
	case err := <-p.done:
		p.done <- err
		return true
	default:
		return false
	}
}

// kill stops the process with SIGKILL, a crash without any goodbye, and
// waits for it to be gone.
func (p *process) kill(t *testing.T) {
	t.Helper()
	if p.cmd.ProcessState != nil {
		return
	}
	_ = p.cmd.Process.Kill()
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		t.Errorf("process %d did not exit after SIGKILL", p.cmd.Process.Pid)
	}
}

// startMirrorMaker2 runs MirrorMaker 2 in dedicated mode with run.sh's
// properties (the deploy/ file plus the single-node overrides).
func startMirrorMaker2(t *testing.T) *process {
	t.Helper()
	cp, props := os.Getenv("BLUESTREAM_TEST_KAFKA_CLASSPATH"), os.Getenv("BLUESTREAM_TEST_MM2_PROPERTIES")
	if cp == "" || props == "" {
		t.Skip("BLUESTREAM_TEST_KAFKA_CLASSPATH and BLUESTREAM_TEST_MM2_PROPERTIES unset: run testkafka/run.sh")
	}
	args := append([]string{"-cp", cp}, strings.Fields(os.Getenv("BLUESTREAM_TEST_JAVA_OPTS"))...)
	args = append(args, "org.apache.kafka.connect.mirror.MirrorMaker", props)
	return start(t, "mirrormaker2.log", "java", args...)
}

// withTimeout is a context for one Kafka call.
func withTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}
