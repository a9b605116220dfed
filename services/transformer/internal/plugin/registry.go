package plugin

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// compiled caches machine code by module content for the whole process, so
// a reload, or a second registry, compiles only modules that changed.
var compiled = wazero.NewCompilationCache()

// ErrClosed is returned by calls after Close: the record was not decoded and
// should be retried by whoever takes over, not dead-lettered.
var ErrClosed = errors.New("plugins: registry closed")

// Registry holds the plugins of one directory and reloads them on request.
// It is safe for concurrent use.
type Registry struct {
	dir    string
	limits Limits

	reloading sync.Mutex
	mu        sync.RWMutex
	cur       *set
}

// set is one generation of loaded plugins with its own runtime.
type set struct {
	rt        wazero.Runtime
	modules   []*module // sorted by name
	byCompany map[uint16]*module
	byUUID    map[uint16]*module
	inflight  sync.WaitGroup
	closed    bool
}

// Open loads every plugin in dir.
func Open(ctx context.Context, dir string, limits Limits) (*Registry, error) {
	r := &Registry{dir: dir, limits: limits.withDefaults()}
	s, err := r.load(ctx)
	if err != nil {
		return nil, err
	}
	r.cur = s
	return r, nil
}

// Reload loads the directory again. On success the new set serves every later
// call and the old one is closed once its calls finished; on error the old set
// stays in service.
func (r *Registry) Reload(ctx context.Context) ([]Manifest, error) {
	r.reloading.Lock()
	defer r.reloading.Unlock()
	s, err := r.load(ctx)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	old := r.cur
	r.cur = s
	r.mu.Unlock()
	old.retire(ctx)
	return s.manifests(), nil
}

// Manifests describes the loaded plugins, sorted by name.
func (r *Registry) Manifests() []Manifest {
	s := r.acquire()
	defer s.inflight.Done()
	return s.manifests()
}

// Close closes every plugin once calls in flight finished.
func (r *Registry) Close(ctx context.Context) error {
	r.mu.Lock()
	old := r.cur
	r.cur = &set{closed: true}
	r.mu.Unlock()
	old.retire(ctx)
	return nil
}

func (r *Registry) acquire() *set {
	r.mu.RLock()
	defer r.mu.RUnlock()
	r.cur.inflight.Add(1)
	return r.cur
}

func (s *set) retire(ctx context.Context) {
	s.inflight.Wait()
	if s.rt != nil {
		_ = s.rt.Close(ctx)
	}
}

func (s *set) manifests() []Manifest {
	out := make([]Manifest, len(s.modules))
	for i, m := range s.modules {
		out[i] = m.manifest
	}
	return out
}

// load compiles every <name>.wasm with its <name>.json manifest. One bad
// plugin fails the whole load, naming the file, so a half-applied directory
// never goes into service.
func (r *Registry) load(ctx context.Context) (*set, error) {
	paths, err := filepath.Glob(filepath.Join(r.dir, "*.wasm"))
	if err != nil {
		return nil, fmt.Errorf("listing plugins in %s: %w", r.dir, err)
	}
	if _, err := os.Stat(r.dir); err != nil {
		return nil, fmt.Errorf("plugin directory: %w", err)
	}
	sort.Strings(paths)
	cfg := wazero.NewRuntimeConfig().
		WithMemoryLimitPages(r.limits.MemoryPages).
		WithCloseOnContextDone(true).
		WithCompilationCache(compiled)
	rt := wazero.NewRuntimeWithConfig(ctx, cfg)
	s := &set{rt: rt, byCompany: map[uint16]*module{}, byUUID: map[uint16]*module{}}
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, rt); err != nil {
		_ = rt.Close(ctx)
		return nil, fmt.Errorf("instantiating WASI: %w", err)
	}
	for _, p := range paths {
		m, err := r.loadOne(ctx, rt, p)
		if err == nil {
			err = s.add(m, p)
		}
		if err != nil {
			_ = rt.Close(ctx)
			return nil, err
		}
	}
	return s, nil
}

func (r *Registry) loadOne(ctx context.Context, rt wazero.Runtime, path string) (*module, error) {
	manifestPath := strings.TrimSuffix(path, ".wasm") + ".json"
	data, err := os.ReadFile(manifestPath)
	if err != nil {
		return nil, fmt.Errorf("plugin %s: reading its manifest: %w", path, err)
	}
	man, err := parseManifest(data)
	if err != nil {
		return nil, fmt.Errorf("plugin manifest %s: %w", manifestPath, err)
	}
	code, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("plugin %s: %w", path, err)
	}
	compiled, err := rt.CompileModule(ctx, code)
	if err != nil {
		return nil, fmt.Errorf("plugin %s: compiling: %w", path, err)
	}
	exports := compiled.ExportedFunctions()
	var missing []string
	for _, name := range []string{"_initialize", "alloc", "decode"} {
		if _, ok := exports[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("plugin %s: missing exports %s (build with -buildmode=c-shared and //go:wasmexport)", path, strings.Join(missing, ", "))
	}
	m := &module{manifest: man, rt: rt, compiled: compiled, limits: r.limits, idle: make(chan *instance, r.limits.IdleInstances)}
	// Instantiate once now: a module that cannot start fails the load, not
	// the first record that selects it.
	inst, err := m.instantiate(ctx)
	if err != nil {
		return nil, fmt.Errorf("plugin %s: %w", path, err)
	}
	m.put(inst)
	return m, nil
}

func (s *set) add(m *module, path string) error {
	var errs []error
	for _, id := range m.manifest.CompanyIDs {
		if other, ok := s.byCompany[id]; ok {
			errs = append(errs, fmt.Errorf("plugin %s: company id %#04x already selects plugin %s", path, id, other.manifest.Name))
		}
		s.byCompany[id] = m
	}
	for _, u := range m.manifest.uuids {
		if other, ok := s.byUUID[u]; ok {
			errs = append(errs, fmt.Errorf("plugin %s: service uuid %04x already selects plugin %s", path, u, other.manifest.Name))
		}
		s.byUUID[u] = m
	}
	for _, other := range s.modules {
		if other.manifest.Name == m.manifest.Name {
			errs = append(errs, fmt.Errorf("plugin %s: name %q is taken", path, m.manifest.Name))
		}
	}
	s.modules = append(s.modules, m)
	return errors.Join(errs...)
}
