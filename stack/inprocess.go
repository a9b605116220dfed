package stack

import (
	"errors"
	"fmt"
	"net"

	"github.com/bluestream/bluestream/platform/app"
	analyzer "github.com/bluestream/bluestream/services/analyzer/service"
	bleingest "github.com/bluestream/bluestream/services/ble-ingest/service"
	enricher "github.com/bluestream/bluestream/services/enricher/service"
	mirrorhealth "github.com/bluestream/bluestream/services/mirror-health/service"
	transformer "github.com/bluestream/bluestream/services/transformer/service"
	"github.com/bluestream/bluestream/stack/inprocess"
)

// Modes of running the services.
const (
	// ModeProcess runs each service as a child process of its own binary.
	ModeProcess = "process"
	// ModeInProcess runs every service in goroutines of the stack's process:
	// nothing to build, one process to debug or profile.
	ModeInProcess = "inprocess"
)

// Modes lists the modes, the default first.
var Modes = []string{ModeProcess, ModeInProcess}

// builtIn makes each service's own app.Service.
var builtIn = map[string]func() app.Service{
	"ble-ingest":    bleingest.New,
	"transformer":   transformer.New,
	"enricher":      enricher.New,
	"mirror-health": mirrorhealth.New,
	"analyzer":      analyzer.New,
}

// errSharedEnv: in one process the OTEL_* exporters read the process's own
// environment, which the stack must not rewrite under the services' feet.
var errSharedEnv = errors.New("stack: Config.Env adds to child processes' environments: in inprocess mode the services share the stack's, so set the variables there")

// runInProcess starts the named service in this process on the port process
// mode would give it, with the same flags.
func (s *Stack) runInProcess(name string) (runner, error) {
	ln, err := net.Listen("tcp", listenAddr(s.cfg.BasePort, name))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	svc := s.cfg.Implementations[name]
	if svc == nil {
		svc = builtIn[name]()
	}
	return inprocess.Run(inprocess.Spec{Name: name, Service: svc, Args: s.args(name), Listener: ln, Log: s.cfg.Log}), nil
}
