package identity

import (
	"testing"
)

// Sample data from Core Spec Vol 3 Part H Appendix D.7 (ah random address hash):
// IRK ec0234a3 57c8ad05 341010a6 0a397d9b, prand 708194, ah = 0dfbaa.
const specIRK = "ec0234a357c8ad05341010a60a397d9b"

func TestAhSpecSample(t *testing.T) {
	t.Parallel()
	k, err := ParseIRK(specIRK)
	if err != nil {
		t.Fatal(err)
	}
	got := Ah(k, [3]byte{0x70, 0x81, 0x94})
	if want := [3]byte{0x0d, 0xfb, 0xaa}; got != want {
		t.Fatalf("Ah(spec IRK, 708194) = %x, want %x", got, want)
	}
}

func TestResolvesWithSpecAddress(t *testing.T) {
	t.Parallel()
	k, _ := ParseIRK(specIRK)
	addr, err := ParseAddress("70:81:94:0D:FB:AA")
	if err != nil {
		t.Fatal(err)
	}
	if !addr.ResolvesWith(k) {
		t.Fatalf("%s does not resolve with the spec IRK", addr)
	}
	if Classify(addr, AddressRandom) != KindResolvablePrivate {
		t.Fatalf("spec RPA classified as %v", Classify(addr, AddressRandom))
	}
	other := k
	other[0] ^= 0x01
	if addr.ResolvesWith(other) {
		t.Fatal("address resolved with a different IRK")
	}
	flipped := addr
	flipped[5] ^= 0x01
	if flipped.ResolvesWith(k) {
		t.Fatal("address with a corrupted hash still resolved")
	}
}

func TestNewResolvablePrivateAddressRoundTrip(t *testing.T) {
	t.Parallel()
	k, _ := ParseIRK(specIRK)
	a := NewResolvablePrivateAddress(k, [3]byte{0xff, 0x12, 0x34})
	if a[0]>>6 != 0b01 {
		t.Fatalf("RPA %s lacks the 0b01 marker bits", a)
	}
	if !a.ResolvesWith(k) {
		t.Fatalf("generated RPA %s does not resolve", a)
	}
}

func TestParseIRKRejectsBadInput(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "ec02", "zz0234a357c8ad05341010a60a397d9b"} {
		if _, err := ParseIRK(in); err == nil {
			t.Errorf("ParseIRK(%q) succeeded", in)
		}
	}
}

func TestResolver(t *testing.T) {
	t.Parallel()
	alice, _ := ParseIRK(specIRK)
	bob, _ := ParseIRK("000102030405060708090a0b0c0d0e0f")
	r := NewResolver(16)
	r.Set("alice", []IRK{alice})
	r.Set("bob", []IRK{bob})

	for i := range 20 {
		a := NewResolvablePrivateAddress(bob, [3]byte{byte(i), 0xaa, byte(i * 7)})
		// Twice: the second answer comes from the cache and must agree.
		for range 2 {
			if got, ok := r.Resolve(a); !ok || got != "bob" {
				t.Fatalf("Resolve(%s) = %q,%v, want bob", a, got, ok)
			}
		}
	}
	stranger := NewResolvablePrivateAddress(IRK{0xee}, [3]byte{1, 2, 3})
	if got, ok := r.Resolve(stranger); ok {
		t.Fatalf("unknown RPA resolved to %q", got)
	}
	static, _ := ParseAddress("C0:11:22:33:44:55")
	if _, ok := r.Resolve(static); ok {
		t.Fatal("static address resolved")
	}

	a := NewResolvablePrivateAddress(alice, [3]byte{9, 9, 9})
	if _, ok := r.Resolve(a); !ok {
		t.Fatal("alice not resolved before removal")
	}
	r.Set("alice", nil)
	if got, ok := r.Resolve(a); ok {
		t.Fatalf("removed key still resolves to %q (stale cache)", got)
	}
}

func BenchmarkResolve100Keys(b *testing.B) {
	r := NewResolver(0)
	for i := range 100 {
		r.Set(string(rune('a'+i%26))+string(rune('0'+i/26)), []IRK{{byte(i), 1, 2, 3}})
	}
	a := NewResolvablePrivateAddress(IRK{99, 1, 2, 3}, [3]byte{1, 2, 3})
	for b.Loop() {
		r.Resolve(a)
	}
}
