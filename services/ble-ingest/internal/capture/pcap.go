package capture

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/pcapgo"
)

// packetReader is what pcapgo's pcap and pcapng readers have in common.
type packetReader interface {
	ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error)
}

// pcapSource reads pcap or pcapng through gopacket's pcapgo. pcapgo buffers its
// input, so the offset in errors is how far the file had been read when the
// error surfaced; for a truncated file that is exactly where it ends.
type pcapSource struct {
	format   string
	r        packetReader
	counter  *countingReader
	linkType func(gopacket.CaptureInfo) int
	record   int
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func newPcapSource(r io.Reader) (*pcapSource, error) {
	c := &countingReader{r: r}
	pr, err := pcapgo.NewReader(c)
	if err != nil {
		return nil, &CorruptError{Format: "pcap", Offset: c.n, Err: fmt.Errorf("reading file header: %w", err)}
	}
	lt := int(pr.LinkType())
	if !supportedLinkType(lt) {
		return nil, &CorruptError{Format: "pcap", Offset: 20, Err: fmt.Errorf("link type %d not supported (want 201, 251, 256 or 272)", lt)}
	}
	return &pcapSource{format: "pcap", r: pr, counter: c, linkType: func(gopacket.CaptureInfo) int { return lt }}, nil
}

func newPcapngSource(r io.Reader) (*pcapSource, error) {
	c := &countingReader{r: r}
	ng, err := pcapgo.NewNgReader(c, pcapgo.NgReaderOptions{WantMixedLinkType: true})
	if err != nil {
		return nil, &CorruptError{Format: "pcapng", Offset: c.n, Err: fmt.Errorf("reading section header: %w", err)}
	}
	linkType := func(ci gopacket.CaptureInfo) int {
		iface, err := ng.Interface(ci.InterfaceIndex)
		if err != nil {
			return -1
		}
		return int(iface.LinkType)
	}
	return &pcapSource{format: "pcapng", r: ng, counter: c, linkType: linkType}, nil
}

func (s *pcapSource) next(o Options) (decoded, time.Time, error) {
	data, ci, err := s.r.ZeroCopyReadPacketData()
	if errors.Is(err, io.EOF) {
		return decoded{}, time.Time{}, io.EOF
	}
	s.record++
	if err != nil {
		return decoded{}, time.Time{}, &CorruptError{Format: s.format, Record: s.record, Offset: s.counter.n, Err: err}
	}
	if ci.CaptureLength < ci.Length {
		// A snapped packet lacks its tail (the CRC, at least): not decodable.
		return decoded{outcome: outMalformed}, ci.Timestamp, nil
	}
	at := ci.Timestamp.UTC()
	switch s.linkType(ci) {
	case LinkTypeHCIH4WithPHDR:
		return decodeH4WithPHDR(data, at, o), at, nil
	case LinkTypeLELL:
		return decodeLELL(data, at, o), at, nil
	case LinkTypeLELLWithPHDR:
		return decodeLEWithPHDR(data, at, o), at, nil
	case LinkTypeNordicBLE:
		return decodeNordic(data, at, o), at, nil
	default:
		return decoded{outcome: outOther}, at, nil
	}
}

func supportedLinkType(lt int) bool {
	switch lt {
	case LinkTypeHCIH4WithPHDR, LinkTypeLELL, LinkTypeLELLWithPHDR, LinkTypeNordicBLE:
		return true
	}
	return false
}
