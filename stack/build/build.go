// Package build compiles the service binaries the stack supervises, from the
// checkout that holds go.work, so `make run` always runs the code in the tree.
package build

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Root returns the nearest directory at or above dir that holds go.work.
func Root(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.work")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.work at or above %s: run from the bluestream checkout", dir)
		}
	}
}

// CmdDir is where service name keeps its main package, relative to the root.
func CmdDir(name string) string { return filepath.Join("services", name, "cmd", name) }

// Present returns those of names whose main package exists under root, so the
// stack runs a service as soon as its binary lands and not before.
func Present(root string, names []string) []string {
	var out []string
	for _, n := range names {
		if st, err := os.Stat(filepath.Join(root, CmdDir(n))); err == nil && st.IsDir() {
			out = append(out, n)
		}
	}
	return out
}

// Services builds each named service into outDir/<name> with one go build, which
// compiles the packages they share once and in parallel, and returns the paths.
func Services(ctx context.Context, root, outDir string, names []string) (map[string]string, error) {
	if len(names) == 0 {
		return nil, errors.New("building services: none named")
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, fmt.Errorf("building services: %w", err)
	}
	outDir, err := filepath.Abs(outDir)
	if err != nil {
		return nil, err
	}
	args := []string{"build", "-buildvcs=false", "-o", outDir + string(filepath.Separator)}
	paths := map[string]string{}
	for _, n := range names {
		args = append(args, "./"+filepath.ToSlash(CmdDir(n)))
		paths[n] = filepath.Join(outDir, n)
	}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go %v: %w\n%s", args, err, out)
	}
	for n, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("building %s: %w", n, err)
		}
	}
	return paths, nil
}
