package identity

import "testing"

func TestClassify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		addr string
		typ  AddressType
		want AddressKind
	}{
		{name: "public", addr: "00:1A:7D:DA:71:13", typ: AddressPublic, want: KindPublic},
		{name: "public_ignores_top_bits", addr: "C0:1A:7D:DA:71:13", typ: AddressPublic, want: KindPublic},
		{name: "random_static", addr: "C0:1A:7D:DA:71:13", typ: AddressRandom, want: KindRandomStatic},
		{name: "resolvable_private", addr: "4A:1A:7D:DA:71:13", typ: AddressRandom, want: KindResolvablePrivate},
		{name: "non_resolvable_private", addr: "3F:1A:7D:DA:71:13", typ: AddressRandom, want: KindNonResolvablePrivate},
		{name: "reserved", addr: "80:1A:7D:DA:71:13", typ: AddressRandom, want: KindReserved},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := ParseAddress(tt.addr)
			if err != nil {
				t.Fatal(err)
			}
			if got := Classify(a, tt.typ); got != tt.want {
				t.Fatalf("Classify(%s, %v) = %v, want %v", tt.addr, tt.typ, got, tt.want)
			}
		})
	}
}

func TestRotates(t *testing.T) {
	t.Parallel()
	want := map[AddressKind]bool{
		KindPublic: false, KindRandomStatic: false, KindReserved: false,
		KindResolvablePrivate: true, KindNonResolvablePrivate: true,
	}
	for k, w := range want {
		if k.Rotates() != w {
			t.Errorf("%v.Rotates() = %v, want %v", k, !w, w)
		}
	}
}

func TestParseAddress(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"c0:11:22:33:44:55", "C0-11-22-33-44-55", "c01122334455"} {
		a, err := ParseAddress(in)
		if err != nil {
			t.Fatalf("ParseAddress(%q): %v", in, err)
		}
		if a.String() != "C0:11:22:33:44:55" {
			t.Fatalf("ParseAddress(%q).String() = %s", in, a)
		}
	}
	for _, in := range []string{"", "C0:11:22:33:44", "C0:11:22:33:44:GG"} {
		if _, err := ParseAddress(in); err == nil {
			t.Errorf("ParseAddress(%q) succeeded", in)
		}
	}
}

func TestBeaconStrings(t *testing.T) {
	t.Parallel()
	u, err := ParseUUID("f7826da6-4fa2-4e98-8024-bc5b71e0893e")
	if err != nil {
		t.Fatal(err)
	}
	ib := IBeaconID{UUID: u, Major: 1, Minor: 42}
	if got, want := ib.String(), "f7826da6-4fa2-4e98-8024-bc5b71e0893e/1/42"; got != want {
		t.Fatalf("IBeaconID.String() = %s, want %s", got, want)
	}
	ed := EddystoneUID{Namespace: [10]byte{0xed, 0xd1}, Instance: [6]byte{0, 0, 0, 0, 0, 1}}
	if got, want := ed.String(), "edd10000000000000000/000000000001"; got != want {
		t.Fatalf("EddystoneUID.String() = %s, want %s", got, want)
	}
	if _, err := ParseUUID("f7826da6"); err == nil {
		t.Fatal("short UUID accepted")
	}
}
