package build_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bluestream/bluestream/stack/build"
)

func TestRootFindsGoWorkAbove(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	deep := filepath.Join(dir, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := build.Root(deep); err == nil {
		t.Fatal("Root found a go.work where there is none")
	}
	if err := os.WriteFile(filepath.Join(dir, "go.work"), []byte("go 1.26.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := build.Root(deep)
	if err != nil {
		t.Fatal(err)
	}
	if got != dir {
		t.Fatalf("Root = %s, want %s", got, dir)
	}
}

func TestPresentListsOnlyServicesWithACommand(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, build.CmdDir("enricher")), 0o755); err != nil {
		t.Fatal(err)
	}
	got := build.Present(root, []string{"enricher", "analyzer"})
	if !slices.Equal(got, []string{"enricher"}) {
		t.Fatalf("Present = %v, want [enricher]", got)
	}
}
