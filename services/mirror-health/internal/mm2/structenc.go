package mm2

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"
)

// structWriter appends fields in Kafka's protocol Struct encoding.
type structWriter struct {
	buf []byte
	err error
}

func (w *structWriter) int16(v int16) {
	w.buf = binary.BigEndian.AppendUint16(w.buf, uint16(v))
}

func (w *structWriter) int32(v int32) {
	w.buf = binary.BigEndian.AppendUint32(w.buf, uint32(v))
}

func (w *structWriter) int64(v int64) {
	w.buf = binary.BigEndian.AppendUint64(w.buf, uint64(v))
}

// string writes a Kafka STRING. Kafka refuses strings whose UTF-8 form is
// longer than an INT16 can count, so we do too rather than wrap the length.
func (w *structWriter) string(field, s string) {
	if w.err != nil {
		return
	}
	if len(s) > math.MaxInt16 {
		w.err = fmt.Errorf("encoding %s: %d bytes exceeds the STRING limit of %d", field, len(s), math.MaxInt16)
		return
	}
	if !utf8.ValidString(s) {
		w.err = fmt.Errorf("encoding %s: not valid UTF-8", field)
		return
	}
	w.int16(int16(len(s)))
	w.buf = append(w.buf, s...)
}

func (w *structWriter) bytes() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	return w.buf, nil
}

// errTruncated is wrapped by every decoding error caused by missing bytes.
var errTruncated = errors.New("truncated")

// structReader consumes fields in Kafka's protocol Struct encoding. The first
// error sticks, so callers read every field and check once at the end.
type structReader struct {
	what string // "heartbeat key", used in error messages
	buf  []byte
	err  error
}

func (r *structReader) take(field string, n int) []byte {
	if r.err != nil {
		return nil
	}
	if len(r.buf) < n {
		r.err = fmt.Errorf("decoding %s field %s: need %d bytes, have %d: %w", r.what, field, n, len(r.buf), errTruncated)
		return nil
	}
	b := r.buf[:n]
	r.buf = r.buf[n:]
	return b
}

func (r *structReader) int16(field string) int16 {
	b := r.take(field, 2)
	if b == nil {
		return 0
	}
	return int16(binary.BigEndian.Uint16(b))
}

func (r *structReader) int32(field string) int32 {
	b := r.take(field, 4)
	if b == nil {
		return 0
	}
	return int32(binary.BigEndian.Uint32(b))
}

func (r *structReader) int64(field string) int64 {
	b := r.take(field, 8)
	if b == nil {
		return 0
	}
	return int64(binary.BigEndian.Uint64(b))
}

func (r *structReader) string(field string) string {
	n := r.int16(field + " length")
	if r.err != nil {
		return ""
	}
	if n < 0 {
		r.err = fmt.Errorf("decoding %s field %s: negative STRING length %d", r.what, field, n)
		return ""
	}
	b := r.take(field, int(n))
	if r.err != nil {
		return ""
	}
	if !utf8.Valid(b) {
		r.err = fmt.Errorf("decoding %s field %s: not valid UTF-8", r.what, field)
		return ""
	}
	return string(b)
}

// version reads the INT16 header MirrorMaker 2 puts before versioned values
// and rejects versions this package does not know the layout of.
func (r *structReader) version(supported int16) {
	v := r.int16("version")
	if r.err == nil && v != supported {
		r.err = fmt.Errorf("decoding %s: unsupported version %d (know %d)", r.what, v, supported)
	}
}

// done reports the first error, or trailing bytes that no field claimed.
func (r *structReader) done() error {
	if r.err != nil {
		return r.err
	}
	if len(r.buf) != 0 {
		return fmt.Errorf("decoding %s: %d trailing bytes", r.what, len(r.buf))
	}
	return nil
}
