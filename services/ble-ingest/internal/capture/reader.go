package capture

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/hci"
)

// Options sets what a capture does not record.
type Options struct {
	// GatewayID is stamped on every advertisement read; required by
	// advert.Validate, so a replay names itself (for example "replay:lab-3").
	GatewayID string
}

// source yields one record at a time; io.EOF ends a well-formed file.
type source interface {
	next(o Options) (decoded, time.Time, error)
}

// Reader yields the advertisements of one capture file in file order.
type Reader struct {
	format  string
	src     source
	opts    Options
	pending []advert.Advertisement
	frags   hci.Reassembler
	stats   Stats
	err     error
}

// NewReader detects the format from the first bytes (btsnoop, pcap in either
// byte order and timestamp precision, or pcapng) and reads its header.
func NewReader(r io.Reader, opts Options) (*Reader, error) {
	br := bufio.NewReader(r)
	magic, err := br.Peek(8)
	if err != nil && len(magic) < 4 {
		return nil, &CorruptError{Format: "capture", Offset: int64(len(magic)), Err: fmt.Errorf("reading magic: file has only %d bytes", len(magic))}
	}
	format, err := detect(magic)
	if err != nil {
		return nil, err
	}
	var src source
	switch format {
	case "btsnoop":
		src, err = newBtsnoopSource(br)
	case "pcap":
		src, err = newPcapSource(br)
	default:
		src, err = newPcapngSource(br)
	}
	if err != nil {
		return nil, err
	}
	return &Reader{format: format, src: src, opts: opts}, nil
}

func detect(magic []byte) (string, error) {
	switch {
	case bytes.HasPrefix(magic, []byte(btsnoopMagic)):
		return "btsnoop", nil
	case binary.LittleEndian.Uint32(magic) == 0x0A0D0D0A:
		return "pcapng", nil
	}
	switch binary.LittleEndian.Uint32(magic) {
	case 0xA1B2C3D4, 0xD4C3B2A1, 0xA1B23C4D, 0x4D3CB2A1:
		return "pcap", nil
	}
	return "", &CorruptError{Format: "capture", Offset: 0, Err: fmt.Errorf("unknown magic % x: not btsnoop, pcap or pcapng", magic[:4])}
}

// Format names the detected file format: "btsnoop", "pcap" or "pcapng".
func (r *Reader) Format() string { return r.format }

// Stats returns the counts so far; after io.EOF they cover the whole file.
func (r *Reader) Stats() Stats { return r.stats }

// Next returns the next advertisement. At the end of a well-formed file it
// returns io.EOF; for a corrupt or truncated one it returns a *CorruptError once
// every advertisement before the damage has been returned.
func (r *Reader) Next() (advert.Advertisement, error) {
	for len(r.pending) == 0 {
		if r.err != nil {
			return advert.Advertisement{}, r.err
		}
		r.fill()
	}
	ad := r.pending[0]
	r.pending = r.pending[1:]
	return ad, nil
}

func (r *Reader) fill() {
	d, _, err := r.src.next(r.opts)
	if err != nil {
		// Fragments never completed are still data received: they come out
		// marked truncated before the end or the damage is reported.
		r.yield(r.frags.Flush())
		r.err = err
		return
	}
	r.stats.Records++
	switch d.outcome {
	case outAdvertisement:
		r.pending = r.pending[:0]
		for _, ad := range d.ads {
			got := r.frags.Add(ad)
			if len(got) == 0 {
				r.stats.Fragments++
			}
			r.yield(got)
		}
	case outBadCRC:
		r.stats.BadCRC++
	case outOther:
		r.stats.Other++
	default:
		r.stats.Malformed++
	}
}

func (r *Reader) yield(ads []advert.Advertisement) {
	r.stats.Advertisements += len(ads)
	r.pending = append(r.pending, ads...)
}

// ReadAll reads every advertisement. On a corrupt file it returns those read
// before the damage together with the *CorruptError.
func ReadAll(r io.Reader, opts Options) ([]advert.Advertisement, Stats, error) {
	cr, err := NewReader(r, opts)
	if err != nil {
		return nil, Stats{}, err
	}
	var ads []advert.Advertisement
	for {
		ad, err := cr.Next()
		if errors.Is(err, io.EOF) {
			return ads, cr.Stats(), nil
		}
		if err != nil {
			return ads, cr.Stats(), err
		}
		ads = append(ads, ad)
	}
}
