package mm2

import (
	"bytes"
	"testing"
)

// Each fuzzer checks that decoding never panics and that anything it accepts
// re-encodes to exactly the input: the format has one encoding per value.

func FuzzDecodeHeartbeat(f *testing.F) {
	f.Add([]byte{0, 1, 'a', 0, 1, 'b'}, []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 1})
	f.Add([]byte{0xff, 0xff}, []byte{0})
	f.Fuzz(func(t *testing.T, key, value []byte) {
		hb, err := DecodeHeartbeat(key, value)
		if err != nil {
			return
		}
		k, err := hb.Key()
		if err != nil {
			t.Fatalf("re-encoding accepted heartbeat key: %v", err)
		}
		if !bytes.Equal(k, key) || !bytes.Equal(hb.Value(), value) {
			t.Fatalf("round trip changed bytes: key % x -> % x, value % x -> % x", key, k, value, hb.Value())
		}
	})
}

func FuzzDecodeCheckpoint(f *testing.F) {
	f.Add([]byte{0, 1, 'g', 0, 1, 't', 0, 0, 0, 3}, append(make([]byte, 18), 0, 0))
	f.Fuzz(func(t *testing.T, key, value []byte) {
		cp, err := DecodeCheckpoint(key, value)
		if err != nil {
			return
		}
		k, kerr := cp.Key()
		v, verr := cp.Value()
		if kerr != nil || verr != nil {
			t.Fatalf("re-encoding accepted checkpoint: %v %v", kerr, verr)
		}
		if !bytes.Equal(k, key) || !bytes.Equal(v, value) {
			t.Fatalf("round trip changed bytes: key % x -> % x, value % x -> % x", key, k, value, v)
		}
	})
}

func FuzzDecodeOffsetSync(f *testing.F) {
	f.Add([]byte{0, 1, 't', 0, 0, 0, 3}, make([]byte, 16))
	f.Fuzz(func(t *testing.T, key, value []byte) {
		s, err := DecodeOffsetSync(key, value)
		if err != nil {
			return
		}
		k, err := s.Key()
		if err != nil {
			t.Fatalf("re-encoding accepted offset sync: %v", err)
		}
		if !bytes.Equal(k, key) || !bytes.Equal(s.Value(), value) {
			t.Fatalf("round trip changed bytes: key % x -> % x, value % x -> % x", key, k, value, s.Value())
		}
	})
}
