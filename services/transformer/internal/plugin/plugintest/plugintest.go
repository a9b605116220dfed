// Package plugintest builds plugins from Go source for tests: the example
// plugin and the deliberately broken ones in ../testdata. Binaries go to a
// temporary directory and are never committed.
package plugintest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// Sources maps a plugin name to its Go package, relative to this file's
// directory, and to the manifest it is tested with.
var Sources = map[string]struct {
	Dir      string
	Manifest string
}{
	"example": {Dir: "../../../plugins/example", Manifest: ""}, // uses plugins/example/manifest.json
	"loop":    {Dir: "../testdata/loop", Manifest: `{"name":"loop","company_ids":[65534]}`},
	"hog":     {Dir: "../testdata/hog", Manifest: `{"name":"hog","service_uuids":["fffd"]}`},
}

// Selectors of the test plugins, for building payloads that reach them.
const (
	ExampleCompany = 0xFFFF
	LoopCompany    = 0xFFFE
	HogServiceUUID = 0xFFFD
)

var (
	once     sync.Once
	buildDir string
	buildErr error
)

func here() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}

// build compiles every plugin once per test process.
func build() (string, error) {
	once.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "transformer-plugins-")
		if buildErr != nil {
			return
		}
		for name, src := range Sources {
			out := filepath.Join(buildDir, name+".wasm")
			cmd := exec.Command(goBinary(), "build", "-buildmode=c-shared", "-o", out, ".")
			cmd.Dir = filepath.Join(here(), src.Dir)
			cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "GOTOOLCHAIN=local")
			if msg, err := cmd.CombinedOutput(); err != nil {
				buildErr = fmt.Errorf("building plugin %s: %v\n%s", name, err, msg)
				return
			}
		}
	})
	return buildDir, buildErr
}

func goBinary() string {
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); fileExists(p) {
		return p
	}
	return "go"
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// Dir returns a fresh plugin directory holding the named plugins with their
// manifests.
func Dir(t testing.TB, names ...string) string {
	t.Helper()
	built, err := build()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range names {
		Install(t, dir, filepath.Join(built, name+".wasm"), name)
	}
	return dir
}

// Install copies a built plugin and its manifest into dir.
func Install(t testing.TB, dir, wasm, name string) {
	t.Helper()
	code, err := os.ReadFile(wasm)
	if err != nil {
		t.Fatal(err)
	}
	manifest := []byte(Sources[name].Manifest)
	if len(manifest) == 0 {
		if manifest, err = os.ReadFile(filepath.Join(here(), Sources[name].Dir, "manifest.json")); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, name+".wasm"), code, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".json"), manifest, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Built returns the path of a built plugin binary.
func Built(t testing.TB, name string) string {
	t.Helper()
	built, err := build()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(built, name+".wasm")
}

// Cleanup removes the build directory; call it from TestMain.
func Cleanup() {
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
}
