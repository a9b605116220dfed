package decode

import "testing"

// FuzzDecode feeds arbitrary payloads, with and without keys, and checks that
// Decode neither panics nor leaves a result that contradicts itself.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		"1bff99040512fc5394c37c0004fffc040cac364200cdcbb8334c884f",
		"1216d2fc41a47266c95f730011223378237214",
		"0a16d2fc4002ca0903bf13",
		"0b161c182302ca090303bf13",
		"1aff4c000215e2c56db5dffb48d2b060d0f5a71096e000640001c5",
		"1316aafe10ba03676f6f2e676c2f53367a543650",
		"1116aafe20000bb81980000003e800002710",
		"191695fe5858480b685f12342d585a0b1841e2aa000e00a4964fb5b6",
		"12161a18f4830238c1a4a9066911b60b58f70d",
		"0716372a10480004",
	} {
		f.Add(mustHex(f, seed), true)
	}
	var r Result
	f.Fuzz(func(t *testing.T, payload []byte, withKeys bool) {
		opts := Options{Address: oracleAddr(bthomeBLEAddress)}
		if withKeys {
			opts.Keys = oracleKeys
		}
		Decode(payload, opts, &r)
		for _, m := range r.Measurements {
			if m.Quantity == "" || m.Unit == "" || m.Format == "" {
				t.Fatalf("measurement without quantity, unit or format: %+v", m)
			}
		}
		for _, p := range r.Problems {
			if p.Reason == "" || p.Source == "" {
				t.Fatalf("problem without reason or source: %+v", p)
			}
			if p.Offset < 0 || p.Offset > len(payload) {
				t.Fatalf("problem offset %d outside the %d-byte payload: %+v", p.Offset, len(payload), p)
			}
		}
	})
}
