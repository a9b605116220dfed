// Package logtail handles a service's output lines the same way whether the
// service is a child process or runs inside the stack: each line goes to the
// stack's log labelled "name | ", and the last few stay at hand for the error
// report when the service fails.
package logtail

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
)

// Lines is where one service's output goes.
type Lines struct {
	name string
	log  io.Writer

	mu      sync.Mutex
	ring    []string
	next    int
	full    bool
	partial []byte
}

// New keeps the last n lines of the named service and forwards every line to
// log; nil log discards them.
func New(name string, log io.Writer, n int) *Lines {
	return &Lines{name: name, log: log, ring: make([]string, n)}
}

// Add takes one complete line, without its newline.
func (l *Lines) Add(line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.add(line)
}

func (l *Lines) add(line string) {
	l.ring[l.next] = line
	l.next = (l.next + 1) % len(l.ring)
	if l.next == 0 {
		l.full = true
	}
	if l.log != nil {
		fmt.Fprintf(l.log, "%s | %s\n", l.name, line)
	}
}

// Write splits p into lines, keeping an unfinished last one for the next
// Write or Flush, so a service can log straight into Lines.
func (l *Lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		l.add(string(l.partial[:i]))
		l.partial = l.partial[i+1:]
	}
	return len(p), nil
}

// Flush adds an unfinished last line, once the service wrote its last.
func (l *Lines) Flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.partial) > 0 {
		l.add(string(l.partial))
		l.partial = nil
	}
}

// Tail returns the last lines, oldest first.
func (l *Lines) Tail() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	if l.full {
		out = append(out, l.ring[l.next:]...)
	}
	out = append(out, l.ring[:l.next]...)
	return strings.Join(out, "\n")
}
