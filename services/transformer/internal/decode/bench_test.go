package decode

import "testing"

// benchPayloads are one advertisement per format, from the table tests.
var benchPayloads = []struct {
	name    string
	payload string
}{
	{"ruuvi_v5", "0201061bff99040512fc5394c37c0004fffc040cac364200cdcbb8334c884f"},
	{"bthome_v2", "0201060a16d2fc4002ca0903bf13"},
	{"bthome_v2_encrypted", "0201061216d2fc41a47266c95f730011223378237214"},
	{"ibeacon", "0201061aff4c000215e2c56db5dffb48d2b060d0f5a71096e000640001c5"},
	{"eddystone_url", "0303aafe1316aafe10ba03676f6f2e676c2f53367a543650"},
	{"eddystone_tlm", "0303aafe1116aafe20000bb81980000003e800002710"},
	{"pvvx", "02010612161a18f4830238c1a4a9066911b60b58f70d"},
	{"mibeacon_v5_encrypted", "020106191695fe5858480b685f12342d585a0b1841e2aa000e00a4964fb5b6"},
	{"apple_continuity", "02011a0aff4c001005441cbd08c5"},
	{"govee_h5075", "0d09475648353037355f43423942030388ec02010509ff88ec0003215d6400"},
	{"govee_h5106_by_name", "0201060d09475648353130365f34423939030388ec09ff010001010deeaa6f"},
	{"govee_h5198_probes", "0201060303519817ff30226c01000101c0010fffff1ce8ffffffff189cffff"},
	{"sensorpush_htp_xw", "0201061106b00a09ecd79db893ba42d611000009ef08ff0089e456bea6b4"},
}

func BenchmarkDecode(b *testing.B) {
	opts := Options{Address: oracleAddr(bthomeBLEAddress), Keys: oracleKeys}
	for _, bp := range benchPayloads {
		payload := mustHex(b, bp.payload)
		o := opts
		if bp.name == "mibeacon_v5_encrypted" {
			o.Address = oracleAddr("5A582D34125F")
		}
		b.Run(bp.name, func(b *testing.B) {
			var r Result
			Decode(payload, o, &r)
			b.ReportAllocs()
			for b.Loop() {
				Decode(payload, o, &r)
			}
		})
	}
	b.Run("mixed", func(b *testing.B) {
		payloads := make([][]byte, len(benchPayloads))
		for i, bp := range benchPayloads {
			payloads[i] = mustHex(b, bp.payload)
		}
		var r Result
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			Decode(payloads[i%len(payloads)], opts, &r)
			i++
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "adv/s")
	})
}

// TestDecodeAllocatesNothingWhenWarm is the pass/fail form of the benchmark's
// allocation figure: counts, not timings.
func TestDecodeAllocatesNothingWhenWarm(t *testing.T) {
	for _, bp := range benchPayloads {
		payload := mustHex(t, bp.payload)
		opts := Options{Address: oracleAddr(bthomeBLEAddress), Keys: oracleKeys}
		if bp.name == "mibeacon_v5_encrypted" {
			opts.Address = oracleAddr("5A582D34125F")
		}
		var r Result
		Decode(payload, opts, &r)
		if allocs := testing.AllocsPerRun(50, func() { Decode(payload, opts, &r) }); allocs != 0 {
			t.Errorf("%s: %v allocations per decode, want 0", bp.name, allocs)
		}
	}
}
