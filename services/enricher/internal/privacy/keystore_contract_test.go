package privacy

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// runKeystoreContract is the behaviour every Keystore must show.
func runKeystoreContract(t *testing.T, open func(t *testing.T) Keystore) {
	ctx := context.Background()
	t.Run("period_key_is_stable", func(t *testing.T) {
		t.Parallel()
		ks := open(t)
		a, _ := ks.PeriodKey(ctx, "acme", 7)
		b, _ := ks.PeriodKey(ctx, "acme", 7)
		if a != b {
			t.Fatal("same tenant and period gave different keys")
		}
		if a == (Key{}) {
			t.Fatal("period key is all zeros")
		}
	})
	t.Run("keys_differ_by_tenant_and_period", func(t *testing.T) {
		t.Parallel()
		ks := open(t)
		a, _ := ks.PeriodKey(ctx, "acme", 7)
		b, _ := ks.PeriodKey(ctx, "acme", 8)
		c, _ := ks.PeriodKey(ctx, "globex", 7)
		if a == b || a == c || b == c {
			t.Fatal("period keys collide across tenants or periods")
		}
	})
	t.Run("destroy_replaces_only_that_subject", func(t *testing.T) {
		t.Parallel()
		ks := open(t)
		alice, _ := ks.SubjectKey(ctx, "acme", "alice")
		bob, _ := ks.SubjectKey(ctx, "acme", "bob")
		if err := ks.DestroySubjectKey(ctx, "acme", "alice"); err != nil {
			t.Fatal(err)
		}
		if err := ks.DestroySubjectKey(ctx, "acme", "alice"); err != nil {
			t.Fatalf("destroying twice: %v", err)
		}
		alice2, _ := ks.SubjectKey(ctx, "acme", "alice")
		bob2, _ := ks.SubjectKey(ctx, "acme", "bob")
		if alice2 == alice {
			t.Fatal("destroyed subject key came back")
		}
		if bob2 != bob {
			t.Fatal("destroying alice changed bob's key")
		}
	})
	t.Run("lookup_does_not_create", func(t *testing.T) {
		t.Parallel()
		ks := open(t)
		if _, err := ks.LookupSubjectKey(ctx, "acme", "carol"); !errors.Is(err, ErrNoSubjectKey) {
			t.Fatalf("lookup of a new subject: %v", err)
		}
		created, _ := ks.SubjectKey(ctx, "acme", "carol")
		if k, err := ks.LookupSubjectKey(ctx, "acme", "carol"); err != nil || k != created {
			t.Fatalf("lookup after creation: %v", err)
		}
		_ = ks.DestroySubjectKey(ctx, "acme", "carol")
		if _, err := ks.LookupSubjectKey(ctx, "acme", "carol"); !errors.Is(err, ErrNoSubjectKey) {
			t.Fatalf("lookup after destruction: %v", err)
		}
	})
	t.Run("drop_periods_before", func(t *testing.T) {
		t.Parallel()
		ks := open(t)
		old, _ := ks.PeriodKey(ctx, "acme", 1)
		cur, _ := ks.PeriodKey(ctx, "acme", 2)
		other, _ := ks.PeriodKey(ctx, "globex", 1)
		if err := ks.DropPeriodsBefore(ctx, "acme", 2); err != nil {
			t.Fatal(err)
		}
		if k, _ := ks.PeriodKey(ctx, "acme", 1); k == old {
			t.Fatal("dropped period key survived")
		}
		if k, _ := ks.PeriodKey(ctx, "acme", 2); k != cur {
			t.Fatal("current period key was dropped")
		}
		if k, _ := ks.PeriodKey(ctx, "globex", 1); k != other {
			t.Fatal("another tenant's period key was dropped")
		}
	})
	t.Run("empty_names_rejected", func(t *testing.T) {
		t.Parallel()
		ks := open(t)
		if _, err := ks.PeriodKey(ctx, "", 1); !errors.Is(err, ErrInvalidName) {
			t.Fatalf("empty tenant: %v", err)
		}
		if _, err := ks.SubjectKey(ctx, "acme", ""); !errors.Is(err, ErrInvalidName) {
			t.Fatalf("empty subject: %v", err)
		}
	})
}

func TestMemoryKeystoreContract(t *testing.T) {
	t.Parallel()
	runKeystoreContract(t, func(*testing.T) Keystore { return NewMemoryKeystore() })
}

func TestFileKeystoreContract(t *testing.T) {
	t.Parallel()
	runKeystoreContract(t, func(t *testing.T) Keystore {
		ks, err := OpenFileKeystore(filepath.Join(t.TempDir(), "keys.json"))
		if err != nil {
			t.Fatal(err)
		}
		return ks
	})
}
