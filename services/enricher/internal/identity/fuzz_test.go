package identity

import (
	"testing"
	"time"
)

// FuzzParseAddress checks that every accepted address prints back to itself.
func FuzzParseAddress(f *testing.F) {
	f.Add("C0:11:22:33:44:55")
	f.Add("c0-11-22-33-44-5")
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAddress(s)
		if err != nil {
			return
		}
		b, err := ParseAddress(a.String())
		if err != nil || a != b {
			t.Fatalf("%q -> %s -> %v, %v", s, a, b, err)
		}
	})
}

// FuzzMerger checks that merging never loses or duplicates a gateway's reception and
// that every observation lists its receivers strongest first.
func FuzzMerger(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Fuzz(func(t *testing.T, script []byte) {
		m := NewMerger[int](50 * time.Millisecond)
		type rx struct{ key, gw string }
		sent := map[rx]bool{}
		var obs []Observation[int]
		clock := 0
		for i := 0; i+2 < len(script); i += 3 {
			clock += int(script[i] % 40)
			key := string(rune('a' + script[i+1]%3))
			gw := string(rune('A' + script[i+2]%4))
			sent[rx{key, gw}] = true
			obs = append(obs, m.Add(key, Receiver{GatewayID: gw, RSSI: -int(script[i+2]), At: at(clock)}, i)...)
		}
		obs = append(obs, m.Flush()...)
		got := map[rx]bool{}
		for _, o := range obs {
			seen := map[string]bool{}
			for j, r := range o.Receivers {
				if seen[r.GatewayID] {
					t.Fatalf("gateway %s twice in one observation", r.GatewayID)
				}
				seen[r.GatewayID] = true
				got[rx{o.Key, r.GatewayID}] = true
				if j > 0 && r.RSSI > o.Receivers[j-1].RSSI {
					t.Fatalf("receivers not strongest first: %+v", o.Receivers)
				}
			}
		}
		for k := range sent {
			if !got[k] {
				t.Fatalf("reception %v lost", k)
			}
		}
	})
}
