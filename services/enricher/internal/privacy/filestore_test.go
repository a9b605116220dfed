package privacy

import (
	"bytes"
	"context"
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
