package supervise

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/bluestream/bluestream/stack/logtail"
)

// Spec says how to start one child.
type Spec struct {
	// Name labels the child in errors and log output, e.g. "enricher".
	Name string
	Path string
	Args []string
	// Env is added to the stack's own environment.
	Env []string
	// Log receives every output line of the child; nil discards them.
	Log io.Writer
}

// Process is a running child.
type Process struct {
	Spec Spec

	cmd   *exec.Cmd
	ready chan struct{} // closed once addr is known
	done  chan struct{} // closed once the child exited and its output is read
	addr  string
	err   error // exit status, set before done closes
	lines *logtail.Lines
	once  sync.Once
}

// tailLines is how much output an error report carries.
const tailLines = 40

// Start starts the child in its own process group, so a Ctrl-C in the terminal
// reaches only the stack, which then stops the children in order.
func Start(spec Spec) (*Process, error) {
	cmd := exec.Command(spec.Path, spec.Args...)
	cmd.Env = append(os.Environ(), spec.Env...)
	cmd.SysProcAttr = sysProcAttr()
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	p := &Process{Spec: spec, cmd: cmd, ready: make(chan struct{}), done: make(chan struct{}), lines: logtail.New(spec.Name, spec.Log, tailLines)}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", spec.Name, err)
	}
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		p.scan(pr)
	}()
	go func() {
		err := cmd.Wait()
		_ = pw.Close()
		<-scanned
		p.err = err
		close(p.done)
	}()
	return p, nil
}

// logLine is the part of a platform/app JSON log line that matters here.
type logLine struct {
	Msg  string `json:"msg"`
	Addr string `json:"addr"`
}

func (p *Process) scan(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		p.lines.Add(line)
		var l logLine
		// platform/app logs "serving" with the listener's address once the
		// service started, which is the only reliable source when the port was 0.
		if strings.HasPrefix(line, "{") && json.Unmarshal([]byte(line), &l) == nil && l.Msg == "serving" && l.Addr != "" {
			p.once.Do(func() { p.addr = l.Addr; close(p.ready) })
		}
	}
	// Drain whatever the scanner gave up on, so the child never blocks writing.
	_, _ = io.Copy(io.Discard, r)
}

// Addr waits until the child says where it serves, exits, or ctx ends.
func (p *Process) Addr(ctx context.Context) (string, error) {
	select {
	case <-p.ready:
		return p.addr, nil
	case <-p.done:
		return "", fmt.Errorf("%s exited before serving: %v\n%s", p.Spec.Name, p.err, p.Tail())
	case <-ctx.Done():
		return "", fmt.Errorf("waiting for %s to serve: %w\n%s", p.Spec.Name, ctx.Err(), p.Tail())
	}
}

// Done is closed when the child has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// Err is the child's exit status once Done is closed: nil for a clean exit.
func (p *Process) Err() error {
	select {
	case <-p.done:
		return p.err
	default:
		return nil
	}
}

// Tail returns the child's last lines of output.
func (p *Process) Tail() string { return p.lines.Tail() }

// Stop sends sig, waits up to grace for the child to exit and kills it after
// that. It returns the exit status; a kill is an error.
func (p *Process) Stop(sig os.Signal, grace time.Duration) error {
	select {
	case <-p.done:
		return p.exitErr()
	default:
	}
	if err := p.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("signalling %s: %w", p.Spec.Name, err)
	}
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case <-p.done:
		return p.exitErr()
	case <-timer.C:
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		<-p.done
		return fmt.Errorf("%s did not stop within %s after %v and was killed\n%s", p.Spec.Name, grace, sig, p.Tail())
	}
}

func (p *Process) exitErr() error {
	if p.err != nil {
		return fmt.Errorf("%s: %w\n%s", p.Spec.Name, p.err, p.Tail())
	}
	return nil
}
