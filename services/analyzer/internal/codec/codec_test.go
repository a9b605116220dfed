package codec

import (
	"math"
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 23, 9, 0, 0, 123, time.UTC)
	w := NewWriter(3, 0)
	w.Uint(300)
	w.Int(-5)
	w.Float(math.Copysign(0, -1))
	w.Float(20.1)
	w.Bool(true)
	w.String("ber/b1/2/lab")
	w.Time(at)
	w.Time(time.Time{})

	r := NewReader(w.Bytes(), 3)
	if got := r.Uint(); got != 300 {
		t.Errorf("Uint = %d", got)
	}
	if got := r.Int(); got != -5 {
		t.Errorf("Int = %d", got)
	}
	if got := r.Float(); !math.Signbit(got) || got != 0 {
		t.Errorf("negative zero came back as %v", got)
	}
	if got := r.Float(); got != 20.1 {
		t.Errorf("Float = %v", got)
	}
	if !r.Bool() {
		t.Error("Bool = false")
	}
	if got := r.String(); got != "ber/b1/2/lab" {
		t.Errorf("String = %q", got)
	}
	if got := r.Time(); !got.Equal(at) || got.Location() != time.UTC {
		t.Errorf("Time = %v", got)
	}
	if got := r.Time(); !got.IsZero() {
		t.Errorf("zero Time came back as %v", got)
	}
	if err := r.Err(); err != nil {
		t.Errorf("Err = %v", err)
	}
}

func TestReader_rejects_bad_input(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []byte
		read func(r *Reader)
	}{
		{"wrong_version", []byte{2, 0}, func(r *Reader) { r.Uint() }},
		{"truncated_float", []byte{1, 1, 2, 3}, func(r *Reader) { r.Float() }},
		{"string_longer_than_input", []byte{1, 10, 'a'}, func(r *Reader) { _ = r.String() }},
		{"trailing_bytes", []byte{1, 5, 6}, func(r *Reader) { r.Uint() }},
		{"huge_count", []byte{1, 0xff, 0xff, 0x03}, func(r *Reader) { r.Count() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := NewReader(tt.in, 1)
			tt.read(r)
			if r.Err() == nil {
				t.Error("want an error")
			}
		})
	}
}
