package buildinfo_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A binary linked with the documented -X flag reports that version; one
// built without it reports dev.
func TestLinkerStampsTheVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	dir := t.TempDir()
	main := filepath.Join(dir, "main.go")
	if err := os.WriteFile(main, []byte("package main\n\nimport (\n\t\"fmt\"\n\n\t\"github.com/bluestream/bluestream/platform/buildinfo\"\n)\n\nfunc main() { fmt.Print(buildinfo.Version()) }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ ldflags, want string }{
		{"-X github.com/bluestream/bluestream/platform/buildinfo.version=1.4.0-rc.1", "1.4.0-rc.1"},
		{"", "dev"},
	} {
		bin := filepath.Join(dir, "stamped")
		build := exec.Command("go", "build", "-ldflags", tc.ldflags, "-o", bin, main)
		build.Dir = "." // inside the platform module, which provides the import
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		out, err := exec.Command(bin).Output()
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(string(out)); got != tc.want {
			t.Errorf("ldflags %q: version %q, want %q", tc.ldflags, got, tc.want)
		}
	}
}
