package capture

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// btsnoop format facts (RFC 1761 snoop layout as Bluetooth HCI logs use it; the
// datalink values are those Android and BlueZ write).
const (
	btsnoopMagic        = "btsnoop\x00"
	btsnoopHeaderLen    = 16
	btsnoopRecordHeader = 24
	datalinkH1          = 1001 // unencapsulated HCI, packet kind in the flags
	datalinkH4          = 1002 // HCI UART: packet-type byte first
	datalinkMonitor     = 2001 // Linux btmon: opcode in the flags
	// btsnoopEpochDelta is the microseconds from 0000-01-01 (the btsnoop epoch)
	// to 1970-01-01, the constant BlueZ and Wireshark use.
	btsnoopEpochDelta = 0x00DCDDB30F2F8000
	// maxBtsnoopRecord bounds one record; HCI packets are far smaller, so a
	// larger length means the file is corrupt.
	maxBtsnoopRecord = 1 << 16
)

type btsnoopSource struct {
	r        io.Reader
	datalink uint32
	offset   int64
	record   int
	buf      []byte
}

func newBtsnoopSource(r io.Reader) (*btsnoopSource, error) {
	var hdr [btsnoopHeaderLen]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, &CorruptError{Format: "btsnoop", Record: 0, Offset: 0, Err: fmt.Errorf("reading file header: %w", err)}
	}
	if string(hdr[:8]) != btsnoopMagic {
		return nil, &CorruptError{Format: "btsnoop", Offset: 0, Err: errors.New("bad magic")}
	}
	if v := binary.BigEndian.Uint32(hdr[8:12]); v != 1 {
		return nil, &CorruptError{Format: "btsnoop", Offset: 8, Err: fmt.Errorf("version %d, only 1 is defined", v)}
	}
	dl := binary.BigEndian.Uint32(hdr[12:16])
	if dl != datalinkH1 && dl != datalinkH4 && dl != datalinkMonitor {
		return nil, &CorruptError{Format: "btsnoop", Offset: 12, Err: fmt.Errorf("datalink %d not supported (want 1001, 1002 or 2001)", dl)}
	}
	return &btsnoopSource{r: r, datalink: dl, offset: btsnoopHeaderLen}, nil
}

func (s *btsnoopSource) next(o Options) (decoded, time.Time, error) {
	var hdr [btsnoopRecordHeader]byte
	start := s.offset
	n, err := io.ReadFull(s.r, hdr[:])
	if err == io.EOF {
		return decoded{}, time.Time{}, io.EOF
	}
	s.record++
	if err != nil {
		return decoded{}, time.Time{}, s.corrupt(start+int64(n), fmt.Errorf("record header truncated after %d of %d bytes", n, btsnoopRecordHeader))
	}
	included := binary.BigEndian.Uint32(hdr[4:8])
	if included > maxBtsnoopRecord || included > binary.BigEndian.Uint32(hdr[0:4]) {
		return decoded{}, time.Time{}, s.corrupt(start+4, fmt.Errorf("included length %d is implausible (original %d)", included, binary.BigEndian.Uint32(hdr[0:4])))
	}
	s.buf = growTo(s.buf, int(included))
	n, err = io.ReadFull(s.r, s.buf)
	if err != nil {
		return decoded{}, time.Time{}, s.corrupt(start+btsnoopRecordHeader+int64(n), fmt.Errorf("packet truncated after %d of %d bytes", n, included))
	}
	s.offset = start + btsnoopRecordHeader + int64(included)
	at := btsnoopTime(binary.BigEndian.Uint64(hdr[16:24]))
	return s.decode(binary.BigEndian.Uint32(hdr[8:12]), at, o), at, nil
}

func (s *btsnoopSource) decode(flags uint32, at time.Time, o Options) decoded {
	switch s.datalink {
	case datalinkH4:
		return decodeH4(s.buf, at, o)
	case datalinkH1:
		const received, commandOrEvent = 0x1, 0x2
		if flags&(received|commandOrEvent) != received|commandOrEvent {
			return decoded{outcome: outOther}
		}
		return decodeHCIEvent(s.buf, at, o)
	default: // monitor: the low 16 flag bits are the btmon opcode, 3 = event
		const monitorEvent = 0x0003
		if flags&0xFFFF != monitorEvent {
			return decoded{outcome: outOther}
		}
		return decodeHCIEvent(s.buf, at, o)
	}
}

func (s *btsnoopSource) corrupt(offset int64, err error) error {
	return &CorruptError{Format: "btsnoop", Record: s.record, Offset: offset, Err: err}
}

func btsnoopTime(us uint64) time.Time {
	return time.UnixMicro(int64(us - btsnoopEpochDelta)).UTC()
}

func growTo(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n)
	}
	return b[:n]
}
