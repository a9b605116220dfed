// Package browsertest renders pages in a real headless Chromium for tests
// that must see what a person sees: the DOM after the page's scripts ran.
package browsertest

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Chromium returns the browser's path, skipping t when none is installed.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium not installed (apt-get install -y chromium); skipping the browser test")
	return ""
}

// flags keep a headless run quiet and self-contained; the virtual time budget
// lets fetches and timers settle without the test waiting on the wall clock.
func flags(t testing.TB) []string {
	return []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + t.TempDir(),
		"--virtual-time-budget=5000"}
}

// DOM renders url and returns the DOM after the page's scripts ran.
func DOM(t testing.TB, browser, url string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, append(flags(t), "--dump-dom", url)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	return string(out)
}

// Screenshot renders url to a PNG at path, for a person to look at.
func Screenshot(t testing.TB, browser, url, path string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, browser, append(flags(t), "--window-size=1200,700", "--screenshot="+path, url)...).CombinedOutput()
	if err != nil {
		t.Fatalf("chromium screenshot: %v\n%s", err, out)
	}
}
