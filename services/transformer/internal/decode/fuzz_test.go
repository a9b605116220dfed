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
		"0d09475648353130325f43423942030388ec02010509ff0100010103cb0164",
		"030388ec0cff010001010102fc87640002",
		"0201060303519817ff30226c01000101c0010fffff1ce8ffffffff189cffff",
		"0303505517ff1cea3500644120ffffffffffff203200ffffffff0000",
		"1106b00a09ecd79db893ba42d611000009ef08ff0089e456bea6b4",
		"1106a90a09ecd79db893ba42d611000009ef05ffa0c7a205",
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
