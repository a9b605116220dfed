// Package codec is the compact binary encoding of the analyzer's hottest
// state (one entry per device, rewritten on every commit that touches it).
// It is deterministic: equal state gives equal bytes, which rebuild checks
// rely on. It is several times faster and smaller than JSON for this use.
//
// Integers are varints, floats their IEEE-754 bits (so every value, -0
// included, round-trips exactly), strings length-prefixed, times unix
// nanoseconds in UTC.
package codec

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

// zeroTime marks time.Time{}, whose UnixNano is undefined.
const zeroTime = math.MinInt64

// Writer appends values to a buffer.
type Writer struct {
	buf []byte
}

// NewWriter starts an encoding with a format version byte, so a future
// layout can be told apart from this one. sizeHint is the expected length;
// a good guess saves the buffer from growing several times.
func NewWriter(version byte, sizeHint int) *Writer {
	buf := make([]byte, 1, max(sizeHint, 1))
	buf[0] = version
	return &Writer{buf: buf}
}

// Bytes returns the encoding.
func (w *Writer) Bytes() []byte { return w.buf }

// Uint appends an unsigned varint.
func (w *Writer) Uint(v uint64) { w.buf = binary.AppendUvarint(w.buf, v) }

// Int appends a signed varint.
func (w *Writer) Int(v int64) { w.buf = binary.AppendVarint(w.buf, v) }

// Float appends the IEEE-754 bits.
func (w *Writer) Float(v float64) {
	w.buf = binary.LittleEndian.AppendUint64(w.buf, math.Float64bits(v))
}

// Bool appends one byte, 0 or 1.
func (w *Writer) Bool(v bool) {
	if v {
		w.buf = append(w.buf, 1)
	} else {
		w.buf = append(w.buf, 0)
	}
}

// String appends a length-prefixed string.
func (w *Writer) String(s string) {
	w.Uint(uint64(len(s)))
	w.buf = append(w.buf, s...)
}

// Time appends t as unix nanoseconds.
func (w *Writer) Time(t time.Time) {
	if t.IsZero() {
		w.Int(zeroTime)
		return
	}
	w.Int(t.UnixNano())
}

// Reader reads values in the order they were written. The first error
// sticks; check Err once at the end.
type Reader struct {
	buf []byte
	err error
}

// NewReader checks the version byte and returns a reader for the rest.
func NewReader(b []byte, version byte) *Reader {
	if len(b) == 0 || b[0] != version {
		return &Reader{err: fmt.Errorf("unsupported encoding: want version %d", version)}
	}
	return &Reader{buf: b[1:]}
}

var errShort = errors.New("truncated encoding")

// Err reports the first failure, or trailing bytes nobody read.
func (r *Reader) Err() error {
	if r.err == nil && len(r.buf) > 0 {
		return fmt.Errorf("%d unexpected trailing bytes", len(r.buf))
	}
	return r.err
}

func (r *Reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.buf = nil
}

// Uint reads an unsigned varint.
func (r *Reader) Uint() uint64 {
	v, n := binary.Uvarint(r.buf)
	if n <= 0 {
		r.fail(errShort)
		return 0
	}
	r.buf = r.buf[n:]
	return v
}

// Int reads a signed varint.
func (r *Reader) Int() int64 {
	v, n := binary.Varint(r.buf)
	if n <= 0 {
		r.fail(errShort)
		return 0
	}
	r.buf = r.buf[n:]
	return v
}

// Float reads IEEE-754 bits.
func (r *Reader) Float() float64 {
	if len(r.buf) < 8 {
		r.fail(errShort)
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(r.buf))
	r.buf = r.buf[8:]
	return v
}

// Bool reads one byte, 0 or 1.
func (r *Reader) Bool() bool {
	if len(r.buf) < 1 {
		r.fail(errShort)
		return false
	}
	v := r.buf[0]
	r.buf = r.buf[1:]
	if v > 1 {
		r.fail(fmt.Errorf("bool byte %d", v))
	}
	return v == 1
}

// String reads a length-prefixed string.
func (r *Reader) String() string {
	n := r.Uint()
	if uint64(len(r.buf)) < n {
		r.fail(errShort)
		return ""
	}
	s := string(r.buf[:n])
	r.buf = r.buf[n:]
	return s
}

// Time reads unix nanoseconds as a UTC time.
func (r *Reader) Time() time.Time {
	ns := r.Int()
	if ns == zeroTime {
		return time.Time{}
	}
	return time.Unix(0, ns).UTC()
}

// Count reads a length for a following sequence and rejects one longer
// than the bytes left could hold, so corrupt input cannot demand a huge
// allocation.
func (r *Reader) Count() int {
	n := r.Uint()
	if n > uint64(len(r.buf)) {
		r.fail(fmt.Errorf("sequence of %d items in %d bytes", n, len(r.buf)))
		return 0
	}
	return int(n)
}
