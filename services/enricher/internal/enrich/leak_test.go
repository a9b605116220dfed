package enrich

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bluestream/bluestream/services/enricher/internal/identity"
)

// TestNoRawIdentifiersInOutput enriches a mixed fleet and scans the serialised output
// for every form of every identifier that went in: addresses (binary, both byte
// orders, hex with and without colons, either case), beacon UUIDs, IRKs, owner
// references and registry device ids. The adapter repeats this on the protobuf bytes.
func TestNoRawIdentifiersInOutput(t *testing.T) {
	t.Parallel()
	h := newHarness(t, true)
	readings := scenario(120)
	out := feed(t, h.enr, readings...)
	if len(out) < 400 {
		t.Fatalf("only %d enriched readings; the scan would prove little", len(out))
	}
	var blob bytes.Buffer
	for _, en := range out {
		js, err := json.Marshal(en)
		if err != nil {
			t.Fatal(err)
		}
		blob.Write(js)
		fmt.Fprintf(&blob, "%#v", en)
	}
	forms := forbiddenForms(readings)
	if leak := findLeak(blob.Bytes(), forms); leak != nil {
		t.Fatalf("output contains identifier form %q", leak)
	}
	// The scan must be able to fail: a lower-case, dash-separated address trips it.
	planted := append(slices.Clone(blob.Bytes()), strings.ToLower(strings.ReplaceAll(visitorAddr.String(), ":", "-"))...)
	if findLeak(planted, forms) == nil {
		t.Fatal("scan missed a planted address")
	}
}

// findLeak returns the first forbidden form found in haystack, ignoring ASCII case
// (folding both sides can only add matches, never hide one).
func findLeak(haystack []byte, forms [][]byte) []byte {
	lower := asciiLower(haystack)
	for _, needle := range forms {
		if bytes.Contains(lower, asciiLower(needle)) {
			return needle
		}
	}
	return nil
}

// asciiLower folds A-Z only, leaving other bytes alone: bytes.ToLower would rewrite
// invalid UTF-8 in binary needles as U+FFFD.
func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

func forbiddenForms(readings []Reading) [][]byte {
	seen := map[identity.Address]bool{}
	var forms [][]byte
	for _, r := range readings {
		if seen[r.Address] {
			continue
		}
		seen[r.Address] = true
		a := r.Address
		reversed := a
		slices.Reverse(reversed[:])
		s := a.String()
		forms = append(forms, a[:], reversed[:], []byte(s), []byte(strings.ReplaceAll(s, ":", "")), []byte(strings.ReplaceAll(s, ":", "-")))
	}
	forms = append(forms,
		assetBeacon.UUID[:], []byte(hex.EncodeToString(assetBeacon.UUID[:])), []byte(assetBeacon.String()),
		badgeIRK[:], []byte(hex.EncodeToString(badgeIRK[:])),
		[]byte(employeeRef), []byte("FLEET-12"),
		[]byte("dev-badge"), []byte(visitorID), []byte("dev-forklift"),
	)
	return forms
}
