package supervise

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"
)

// Group is the set of children of one stack. Children stop in the reverse of
// their start order, so producers upstream of a stage outlive it no longer than
// needed and the mirror stops after the stages that feed it.
type Group struct {
	mu    sync.Mutex
	procs []*Process
	exit  chan *Process
}

// NewGroup returns an empty group.
func NewGroup() *Group { return &Group{exit: make(chan *Process, 16)} }

// Start starts a child and adds it to the group.
func (g *Group) Start(spec Spec) (*Process, error) {
	p, err := Start(spec)
	if err != nil {
		return nil, err
	}
	g.mu.Lock()
	g.procs = append(g.procs, p)
	g.mu.Unlock()
	go func() {
		<-p.Done()
		select {
		case g.exit <- p:
		default: // nobody watches that many exits; Stop reports them anyway
		}
	}()
	return p, nil
}

// Exited delivers children as they exit, whether or not Stop asked them to.
func (g *Group) Exited() <-chan *Process { return g.exit }

// Stop signals every child with sig, one after another in reverse start order,
// waiting up to grace for each, and returns what went wrong with any of them.
func (g *Group) Stop(sig os.Signal, grace time.Duration) error {
	g.mu.Lock()
	procs := slices.Clone(g.procs)
	g.mu.Unlock()
	var errs []error
	for _, p := range slices.Backward(procs) {
		if err := p.Stop(sig, grace); err != nil {
			errs = append(errs, fmt.Errorf("stopping: %w", err))
		}
	}
	return errors.Join(errs...)
}
