package privacy

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

func TestSealOpenAndShred(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ks := NewMemoryKeystore()
	s, err := NewSealer(ks)
	if err != nil {
		t.Fatal(err)
	}
	owner := []byte("HR-4711-MUELLER")
	sealed, err := s.Seal(ctx, "acme", "subj_a", owner)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, owner) {
		t.Fatal("sealed value contains the plaintext")
	}
	again, _ := s.Seal(ctx, "acme", "subj_a", owner)
	if bytes.Equal(sealed, again) {
		t.Fatal("sealing twice gave identical bytes: nonce reused")
	}
	got, err := s.Open(ctx, "acme", "subj_a", sealed)
	if err != nil || !bytes.Equal(got, owner) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := s.Open(ctx, "acme", "subj_b", sealed); err == nil {
		t.Fatal("opened under another subject")
	}
	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-1] ^= 1
	if _, err := s.Open(ctx, "acme", "subj_a", tampered); err == nil {
		t.Fatal("opened tampered data")
	}

	bob, _ := s.Seal(ctx, "acme", "subj_b", []byte("bob"))
	if err := ks.DestroySubjectKey(ctx, "acme", "subj_a"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(ctx, "acme", "subj_a", sealed); !errors.Is(err, ErrShredded) {
		t.Fatalf("after destruction: %v, want ErrShredded", err)
	}
	// A key created afresh for the same subject does not bring the data back.
	if _, err := ks.SubjectKey(ctx, "acme", "subj_a"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(ctx, "acme", "subj_a", sealed); !errors.Is(err, ErrShredded) {
		t.Fatalf("after re-creation: %v, want ErrShredded", err)
	}
	if got, err := s.Open(ctx, "acme", "subj_b", bob); err != nil || string(got) != "bob" {
		t.Fatalf("other subject's data lost: %q, %v", got, err)
	}
}

func TestOpenRejectsMalformedInput(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := NewSealer(NewMemoryKeystore())
	if _, err := s.Seal(ctx, "acme", "subj", nil); err != nil {
		t.Fatal(err)
	}
	for _, in := range [][]byte{nil, {9, 1, 2}, {sealVersion, 1, 2}} {
		if _, err := s.Open(ctx, "acme", "subj", in); err == nil || errors.Is(err, ErrShredded) {
			t.Errorf("Open(%x) = %v, want a format error", in, err)
		}
	}
}
