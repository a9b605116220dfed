package plugin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// Limits bound what one plugin call may use.
type Limits struct {
	// MemoryPages caps a module's linear memory in 64 KiB pages. Default 512
	// (32 MiB), enough for a Go guest's runtime and a small heap.
	MemoryPages uint32
	// CallTimeout bounds one decode call; the module is closed when it runs
	// out. Default 100ms; real decoders take microseconds.
	CallTimeout time.Duration
	// MaxOutput caps the output a call may return. Default 64 KiB.
	MaxOutput uint32
	// IdleInstances is how many instantiated modules each plugin keeps for
	// reuse. Default 4.
	IdleInstances int
}

func (l Limits) withDefaults() Limits {
	if l.MemoryPages == 0 {
		l.MemoryPages = 512
	}
	if l.CallTimeout == 0 {
		l.CallTimeout = 100 * time.Millisecond
	}
	if l.MaxOutput == 0 {
		l.MaxOutput = 64 << 10
	}
	if l.IdleInstances == 0 {
		l.IdleInstances = 4
	}
	return l
}

// Reasons a call fails, as they appear in dead-letter headers.
const (
	ReasonTimeout = "plugin_timeout"
	ReasonMemory  = "plugin_memory"
	ReasonTrap    = "plugin_trap"
	ReasonOutput  = "plugin_output"
)

// Error is a failed plugin call.
type Error struct {
	Plugin string
	Reason string // one of the Reason constants
	Err    error
}

func (e *Error) Error() string { return "plugin " + e.Plugin + ": " + e.Reason + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// module is one loaded plugin: compiled once, instantiated as needed. An
// instance serves one call at a time; a failed one is closed, never reused,
// because a trapped or interrupted guest may have broken its own state.
type module struct {
	manifest Manifest
	rt       wazero.Runtime
	compiled wazero.CompiledModule
	limits   Limits
	idle     chan *instance
}

type instance struct {
	mod           api.Module
	alloc, decode api.Function
}

func (m *module) instantiate(ctx context.Context) (*instance, error) {
	// The guest's start-up code runs under the same time limit as a call.
	ctx, cancel := context.WithTimeout(ctx, m.limits.CallTimeout*10)
	defer cancel()
	cfg := wazero.NewModuleConfig().
		WithName(""). // anonymous, so several instances can coexist
		WithStartFunctions("_initialize")
		// No WithFS*, WithEnv, WithArgs, stdio or real clocks: the guest sees
		// an empty, deterministic world.
	mod, err := m.rt.InstantiateModule(ctx, m.compiled, cfg)
	if err != nil {
		return nil, m.fail(ctx, nil, fmt.Errorf("instantiating: %w", err))
	}
	inst := &instance{mod: mod, alloc: mod.ExportedFunction("alloc"), decode: mod.ExportedFunction("decode")}
	return inst, nil
}

func (m *module) get(ctx context.Context) (*instance, error) {
	select {
	case inst := <-m.idle:
		return inst, nil
	default:
		return m.instantiate(ctx)
	}
}

func (m *module) put(inst *instance) {
	select {
	case m.idle <- inst:
	default:
		_ = inst.mod.Close(context.Background())
	}
}

// call runs decode on input and returns a copy of the output.
func (m *module) call(ctx context.Context, input []byte) ([]byte, error) {
	inst, err := m.get(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, m.limits.CallTimeout)
	defer cancel()
	out, err := m.callInstance(ctx, inst, input)
	if err != nil {
		err = m.fail(ctx, inst.mod, err)
		_ = inst.mod.Close(context.Background())
		return nil, err
	}
	m.put(inst)
	return out, nil
}

func (m *module) callInstance(ctx context.Context, inst *instance, input []byte) ([]byte, error) {
	res, err := inst.alloc.Call(ctx, uint64(len(input)))
	if err != nil {
		return nil, fmt.Errorf("alloc: %w", err)
	}
	ptr := uint32(res[0])
	if !inst.mod.Memory().Write(ptr, input) {
		return nil, &Error{Plugin: m.manifest.Name, Reason: ReasonOutput, Err: fmt.Errorf("alloc returned %#x, outside memory for %d bytes", ptr, len(input))}
	}
	res, err = inst.decode.Call(ctx, uint64(ptr), uint64(len(input)))
	if err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	outPtr, outLen := uint32(res[0]>>32), uint32(res[0])
	if outLen > m.limits.MaxOutput {
		return nil, &Error{Plugin: m.manifest.Name, Reason: ReasonOutput, Err: fmt.Errorf("output of %d bytes exceeds the limit of %d", outLen, m.limits.MaxOutput)}
	}
	out, ok := inst.mod.Memory().Read(outPtr, outLen)
	if !ok {
		return nil, &Error{Plugin: m.manifest.Name, Reason: ReasonOutput, Err: fmt.Errorf("output %#x+%d lies outside memory", outPtr, outLen)}
	}
	return append([]byte(nil), out...), nil
}

// fail classifies why a call failed: out of time (the context ran out and
// wazero closed the module), out of memory (the guest died with its memory at
// the cap), or any other trap.
func (m *module) fail(ctx context.Context, mod api.Module, err error) error {
	var pe *Error
	switch {
	case errors.As(err, &pe):
		return err
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return &Error{Plugin: m.manifest.Name, Reason: ReasonTimeout, Err: fmt.Errorf("stopped after %s: %w", m.limits.CallTimeout, err)}
	case mod != nil && mod.Memory() != nil && nearCap(mod.Memory().Size(), m.limits.MemoryPages):
		return &Error{Plugin: m.manifest.Name, Reason: ReasonMemory, Err: fmt.Errorf("stopped at the %d MiB memory cap: %w", m.limits.MemoryPages/16, err)}
	}
	return &Error{Plugin: m.manifest.Name, Reason: ReasonTrap, Err: err}
}

// nearCap says whether memory is within one growth step of the cap: a guest
// that dies there died because it could not grow. Go guests grow their heap
// in arenas of 4 MiB, so that is the step.
func nearCap(size, capPages uint32) bool {
	const step = 4 << 20
	limit := uint64(capPages) * 65536
	return uint64(size)+step >= limit
}
