package capture

import (
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/hci"
)

// BtsnoopWriter writes advertisements as a btsnoop v1 HCI UART (H4) log, each as
// the LE (extended) advertising report event a controller would have sent, the
// format Android writes and Wireshark, btmon and this package read.
type BtsnoopWriter struct {
	w   io.Writer
	buf []byte
}

// NewBtsnoopWriter writes the file header.
func NewBtsnoopWriter(w io.Writer) (*BtsnoopWriter, error) {
	hdr := make([]byte, btsnoopHeaderLen)
	copy(hdr, btsnoopMagic)
	binary.BigEndian.PutUint32(hdr[8:12], 1)
	binary.BigEndian.PutUint32(hdr[12:16], datalinkH4)
	if _, err := w.Write(hdr); err != nil {
		return nil, fmt.Errorf("writing btsnoop header: %w", err)
	}
	return &BtsnoopWriter{w: w}, nil
}

// Write appends ad as received HCI events, timestamped with ad.ReceivedAt: one
// record, or one per fragment when its data needs several events.
func (bw *BtsnoopWriter) Write(ad advert.Advertisement) error {
	events, err := hci.EncodeEvents(ad)
	if err != nil {
		return fmt.Errorf("writing btsnoop record: %w", err)
	}
	for _, event := range events {
		if err := bw.writeEvent(event, ad.ReceivedAt); err != nil {
			return err
		}
	}
	return nil
}

func (bw *BtsnoopWriter) writeEvent(event []byte, at time.Time) error {
	const h4Event, receivedEvent = 0x04, 0x03
	size := 1 + len(event)
	bw.buf = growTo(bw.buf, btsnoopRecordHeader+size)
	binary.BigEndian.PutUint32(bw.buf[0:4], uint32(size))
	binary.BigEndian.PutUint32(bw.buf[4:8], uint32(size))
	binary.BigEndian.PutUint32(bw.buf[8:12], receivedEvent)
	binary.BigEndian.PutUint32(bw.buf[12:16], 0)
	binary.BigEndian.PutUint64(bw.buf[16:24], uint64(at.UnixMicro())+btsnoopEpochDelta)
	bw.buf[24] = h4Event
	copy(bw.buf[25:], event)
	if _, err := bw.w.Write(bw.buf); err != nil {
		return fmt.Errorf("writing btsnoop record: %w", err)
	}
	return nil
}
