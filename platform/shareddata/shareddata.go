// Package shareddata locates the data kept beside the checkout in ../shared/data
// (Bluetooth SIG numbers, third-party captures and decoder vectors), so tests read
// those files where they live instead of copying them into the project.
package shareddata

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// EnvDir names the variable that overrides where the shared data folder is.
const EnvDir = "BLUESTREAM_SHARED_DATA"

// Dir returns the shared data folder: $BLUESTREAM_SHARED_DATA when set, else
// ../shared/data beside the repository root (the folder holding go.work).
func Dir() (string, error) {
	if d := os.Getenv(EnvDir); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			d := filepath.Join(filepath.Dir(dir), "shared", "data")
			if _, err := os.Stat(d); err != nil {
				return "", err
			}
			return d, nil
		}
		if filepath.Dir(dir) == dir {
			return "", errors.New("shared data: no go.work above " + wd)
		}
	}
}

// Path returns the named file or folder under the shared data folder, skipping the
// test with a message that says what is missing when it is absent.
func Path(t testing.TB, elem ...string) string {
	t.Helper()
	dir, err := Dir()
	if err != nil {
		t.Skipf("shared data folder absent (%v): set %s or check out ../shared beside the repository", err, EnvDir)
	}
	p := filepath.Join(append([]string{dir}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared data file absent: %v", err)
	}
	return p
}
