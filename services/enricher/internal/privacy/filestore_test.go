package privacy

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFileKeystoreSurvivesReopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "keys.json")
	ks, err := OpenFileKeystore(path)
	if err != nil {
		t.Fatal(err)
	}
	pk, _ := ks.PeriodKey(ctx, "acme", 3)
	alice, _ := ks.SubjectKey(ctx, "acme", "alice")
	bob, _ := ks.SubjectKey(ctx, "acme", "bob")
	if err := ks.DestroySubjectKey(ctx, "acme", "bob"); err != nil {
		t.Fatal(err)
	}

	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		t.Fatalf("keystore file mode %o is readable by others", perm)
	}
	data, _ := os.ReadFile(path)
	if bytes.Contains(data, []byte("bob")) {
		t.Fatal("destroyed subject still named in the file")
	}

	again, err := OpenFileKeystore(path)
	if err != nil {
		t.Fatal(err)
	}
	if k, _ := again.PeriodKey(ctx, "acme", 3); k != pk {
		t.Fatal("period key changed across reopen")
	}
	if k, _ := again.SubjectKey(ctx, "acme", "alice"); k != alice {
		t.Fatal("subject key changed across reopen")
	}
	if k, _ := again.SubjectKey(ctx, "acme", "bob"); k == bob {
		t.Fatal("destroyed key came back after reopen")
	}
}

func TestOpenFileKeystoreRejectsDamage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cases := map[string]string{
		"not_json":      "{",
		"wrong_version": `{"version":9}`,
		"short_key":     `{"version":1,"periods":[{"tenant":"acme","period":1,"key":"AAEC"}]}`,
	}
	for name, content := range cases {
		path := filepath.Join(dir, name+".json")
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := OpenFileKeystore(path); err == nil {
			t.Errorf("%s: opened a damaged keystore", name)
		} else if name == "short_key" && !strings.Contains(err.Error(), "periods[0].key") {
			t.Errorf("short_key: error %q does not name the field", err)
		}
	}
}

// A change the file cannot take is undone in memory too: the keystore never
// hands out a key it could not save, nor forgets one that is still on disk.
func TestFileKeystoreUndoesWhatItCannotSave(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "keys")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	ks, err := OpenFileKeystore(filepath.Join(dir, "keys.json"))
	if err != nil {
		t.Fatal(err)
	}
	kept, err := ks.SubjectKey(ctx, "acme", "kept")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil { // every later save fails
		t.Fatal(err)
	}
	if _, err := ks.SubjectKey(ctx, "acme", "new"); err == nil {
		t.Fatal("SubjectKey saved a new key into a missing directory")
	}
	if _, err := ks.LookupSubjectKey(ctx, "acme", "new"); !errors.Is(err, ErrNoSubjectKey) {
		t.Errorf("the unsaved key is still handed out: %v", err)
	}
	if err := ks.DestroySubjectKey(ctx, "acme", "kept"); err == nil {
		t.Fatal("DestroySubjectKey reported success without saving")
	}
	if got, err := ks.LookupSubjectKey(ctx, "acme", "kept"); err != nil || got != kept {
		t.Errorf("a key still on disk was forgotten: %v", err)
	}
	if _, err := ks.PeriodKey(ctx, "acme", 7); err == nil {
		t.Fatal("PeriodKey saved a new key into a missing directory")
	}
	if err := ks.DropPeriodsBefore(ctx, "acme", 100); err != nil {
		t.Errorf("dropping nothing needs no save: %v", err)
	}
}
