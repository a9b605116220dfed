package serverlesstest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// BuildBootstrap builds the package in the working directory (a test's
// own, in TestMain) as a Lambda bootstrap, the way the build scripts do:
// static, without the RPC entry point of the go1.x runtime. remove deletes
// it.
func BuildBootstrap() (path string, remove func(), err error) {
	dir, err := os.MkdirTemp("", "bootstrap")
	if err != nil {
		return "", nil, err
	}
	remove = func() { _ = os.RemoveAll(dir) }
	path = filepath.Join(dir, "bootstrap")
	build := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-tags", "lambda.norpc", "-trimpath", "-o", path, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		remove()
		return "", nil, fmt.Errorf("building bootstrap: %w\n%s", err, out)
	}
	return path, remove, nil
}

// StartBootstrap runs the bootstrap at path against api until the test
// ends, with the environment Lambda gives a function plus env
// (NAME=value). Its output is shown if the test fails.
func StartBootstrap(t testing.TB, path string, api *RuntimeAPI, env ...string) {
	t.Helper()
	logs, err := os.CreateTemp(t.TempDir(), "bootstrap-*.log")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path)
	cmd.Env = append([]string{
		"AWS_LAMBDA_RUNTIME_API=" + api.Addr(),
		"AWS_LAMBDA_FUNCTION_NAME=" + api.function,
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512",
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_REGION=eu-central-1",
	}, env...)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			out, _ := os.ReadFile(logs.Name())
			t.Logf("bootstrap output:\n%s", out)
		}
		_ = logs.Close()
	})
}
