package privacy

import (
	"context"
	"strings"
	"testing"
	"time"
)

var day = Period{Length: 24 * time.Hour}

func newTestPseudonymizer(t *testing.T) (*Pseudonymizer, Keystore) {
	t.Helper()
	ks := NewMemoryKeystore()
	p, err := NewPseudonymizer(ks, day)
	if err != nil {
		t.Fatal(err)
	}
	return p, ks
}

func TestPseudonymStableWithinPeriodAndRotatesAcross(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p, _ := newTestPseudonymizer(t)
	morning := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	evening := morning.Add(15 * time.Hour)
	tomorrow := morning.Add(24 * time.Hour)

	a, _ := p.Subject(ctx, "acme", "dev-1", "dev-1", morning)
	b, _ := p.Subject(ctx, "acme", "dev-1", "dev-1", evening)
	c, _ := p.Subject(ctx, "acme", "dev-1", "dev-1", tomorrow)
	if a != b {
		t.Fatalf("same device, same day: %s vs %s", a.Value, b.Value)
	}
	if a.Value == c.Value {
		t.Fatal("pseudonym did not rotate with the period")
	}
	if c.Period != a.Period+1 {
		t.Fatalf("periods %d then %d", a.Period, c.Period)
	}
	if !strings.HasPrefix(a.Value, "ps1_") || len(a.Value) != 4+26 {
		t.Fatalf("pseudonym %q has the wrong shape", a.Value)
	}
	other, _ := p.Subject(ctx, "acme", "dev-2", "dev-2", morning)
	if other.Value == a.Value {
		t.Fatal("two devices share a pseudonym")
	}
	tenant, _ := p.Subject(ctx, "globex", "dev-1", "dev-1", morning)
	if tenant.Value == a.Value {
		t.Fatal("two tenants share a pseudonym")
	}
}

func TestErasureMakesOldPseudonymsUnlinkable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p, ks := newTestPseudonymizer(t)
	at := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	before, _ := p.Subject(ctx, "acme", "alice", "dev-1", at)
	bobBefore, _ := p.Subject(ctx, "acme", "bob", "dev-2", at)

	if err := ks.DestroySubjectKey(ctx, "acme", "alice"); err != nil {
		t.Fatal(err)
	}
	after, _ := p.Subject(ctx, "acme", "alice", "dev-1", at)
	bobAfter, _ := p.Subject(ctx, "acme", "bob", "dev-2", at)
	if after.Value == before.Value {
		t.Fatal("same period, same device: pseudonym still links after erasure")
	}
	if bobAfter != bobBefore {
		t.Fatal("erasing alice changed bob's pseudonym")
	}
}

func TestAnonymousPseudonym(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p, _ := newTestPseudonymizer(t)
	at := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	a, _ := p.Anonymous(ctx, "acme", "C0:11:22:33:44:55", at)
	b, _ := p.Anonymous(ctx, "acme", "C0:11:22:33:44:55", at.Add(time.Hour))
	s, _ := p.Subject(ctx, "acme", "C0:11:22:33:44:55", "C0:11:22:33:44:55", at)
	if a != b {
		t.Fatal("anonymous pseudonym not stable within the period")
	}
	if a.Value == s.Value {
		t.Fatal("anonymous and subject pseudonyms collide")
	}
	if strings.Contains(a.Value, "C0") && strings.Contains(a.Value, "55") && strings.Contains(a.Value, "44") {
		t.Fatalf("pseudonym %q looks like the address", a.Value)
	}
}

func TestPeriodIndex(t *testing.T) {
	t.Parallel()
	hour := Period{Length: time.Hour, Origin: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	tests := []struct {
		at   time.Time
		want int64
	}{
		{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 0},
		{time.Date(2026, 1, 1, 0, 59, 59, 0, time.UTC), 0},
		{time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC), 1},
		{time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC), -1},
		{time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC), -1},
	}
	for _, tt := range tests {
		got, err := hour.Index(tt.at)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("Index(%v) = %d, want %d", tt.at, got, tt.want)
		}
	}
	if _, err := (Period{}).Index(time.Now()); err == nil {
		t.Fatal("zero-length period accepted")
	}
	if _, err := NewPseudonymizer(NewMemoryKeystore(), Period{}); err == nil {
		t.Fatal("pseudonymizer with zero period accepted")
	}
}

func TestKeyNeverPrints(t *testing.T) {
	t.Parallel()
	k := Key{0xde, 0xad}
	for _, s := range []string{k.String(), k.GoString()} {
		if strings.Contains(strings.ToLower(s), "dead") {
			t.Fatalf("key printed as %q", s)
		}
	}
}

func BenchmarkSubjectPseudonym(b *testing.B) {
	ctx := context.Background()
	p, _ := NewPseudonymizer(NewMemoryKeystore(), day)
	at := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	for b.Loop() {
		if _, err := p.Subject(ctx, "acme", "alice", "dev-1", at); err != nil {
			b.Fatal(err)
		}
	}
}

func TestCachedPseudonymizerMatchesUncachedAndForgets(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ks := NewMemoryKeystore()
	plain, _ := NewPseudonymizer(ks, day)
	cached, _ := NewPseudonymizer(ks, day, WithCache(2))
	at := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	for round := range 3 { // the third round runs after the tiny cache overflowed
		for _, dev := range []string{"dev-1", "dev-2", "dev-3"} {
			want, _ := plain.Subject(ctx, "acme", dev, dev, at)
			got, _ := cached.Subject(ctx, "acme", dev, dev, at)
			if got != want {
				t.Fatalf("round %d %s: cached %s, uncached %s", round, dev, got.Value, want.Value)
			}
			wantAnon, _ := plain.Anonymous(ctx, "acme", dev, at)
			gotAnon, _ := cached.Anonymous(ctx, "acme", dev, at)
			if gotAnon != wantAnon {
				t.Fatalf("round %d %s: cached anonymous %s, uncached %s", round, dev, gotAnon.Value, wantAnon.Value)
			}
		}
	}
	before, _ := cached.Subject(ctx, "acme", "dev-3", "dev-3", at)
	if err := cached.ForgetSubject(ctx, "acme", "dev-3"); err != nil {
		t.Fatal(err)
	}
	after, _ := cached.Subject(ctx, "acme", "dev-3", "dev-3", at)
	if after == before {
		t.Fatal("cache served a pseudonym of a forgotten subject")
	}
}
