package stack

import (
	"context"
	"errors"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/bluestream/bluestream/stack/supervise"
)

// Exit is a service that stopped: a child process that exited or, in inprocess
// mode, a service whose run returned.
type Exit struct {
	Name string
	// Err is why it stopped; nil for a clean stop.
	Err error
	// Tail is its last log lines.
	Tail string
}

// runner is one started service, whichever the mode.
type runner interface {
	Addr(ctx context.Context) (string, error)
	Done() <-chan struct{}
	Err() error
	Tail() string
	Stop(grace time.Duration) error
}

// child stops a service's process with SIGTERM, as Kubernetes would.
type child struct{ *supervise.Process }

func (c child) Stop(grace time.Duration) error { return c.Process.Stop(syscall.SIGTERM, grace) }

// group is the stack's services. They stop in the reverse of their start
// order, so producers upstream of a stage outlive it no longer than needed and
// the mirror stops after the stages that feed it.
type group struct {
	mu      sync.Mutex
	runners []runner
	exits   chan Exit
}

func newGroup() *group { return &group{exits: make(chan Exit, len(Services))} }

func (g *group) add(name string, r runner) {
	g.mu.Lock()
	g.runners = append(g.runners, r)
	g.mu.Unlock()
	go func() {
		<-r.Done()
		select {
		case g.exits <- Exit{Name: name, Err: r.Err(), Tail: r.Tail()}:
		default: // nobody watches that many exits; stop reports them anyway
		}
	}()
}

// stop stops every service, one after another, newest first, waiting up to
// grace for each, and returns what went wrong with any of them.
func (g *group) stop(grace time.Duration) error {
	g.mu.Lock()
	runners := slices.Clone(g.runners)
	g.mu.Unlock()
	var errs []error
	for _, r := range slices.Backward(runners) {
		errs = append(errs, r.Stop(grace))
	}
	return errors.Join(errs...)
}
