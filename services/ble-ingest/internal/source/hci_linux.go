//go:build linux

package source

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/go-ble/ble"
	"github.com/go-ble/ble/linux"
	blehci "github.com/go-ble/ble/linux/hci"
	"github.com/go-ble/ble/linux/hci/cmd"
)

// ScanHCI scans passively on local HCI device id (hci<id>) through go-ble and
// feeds what it hears. go-ble calls back on its own goroutines; reports go
// through a bounded queue, and those that find it full are counted and logged
// rather than piling up goroutines without bound.
func ScanHCI(ctx context.Context, id int, gatewayID string, f *Feeder) error {
	dev, err := linux.NewDevice(ble.OptDeviceID(id), ble.OptScanParams(cmd.LESetScanParameters{
		LEScanType: 0x00, LEScanInterval: 0x0010, LEScanWindow: 0x0010, // passive, continuous
	}))
	if err != nil {
		return fmt.Errorf("opening hci%d: %w", id, err)
	}
	defer dev.Stop()
	queue := make(chan ble.Advertisement, 4096)
	var dropped atomic.Int64
	scanErr := make(chan error, 1)
	go func() {
		scanErr <- dev.Scan(ctx, true, func(a ble.Advertisement) {
			select {
			case queue <- a:
			default:
				dropped.Add(1)
			}
		})
	}()
	flush := time.NewTicker(200 * time.Millisecond)
	defer flush.Stop()
	for {
		select {
		case a := <-queue:
			r, ok := a.(*blehci.Advertisement)
			if !ok {
				continue
			}
			ad, err := FromReport(r, gatewayID, time.Now())
			if err != nil {
				f.logger().Warn("skipping HCI report", "err", err)
				continue
			}
			if err := f.Add(ctx, ad); err != nil {
				return err
			}
		case <-flush.C:
			if n := dropped.Swap(0); n > 0 {
				f.logger().Warn("HCI reports dropped: ingest is behind the radio", "dropped", n)
			}
			if err := f.Flush(ctx); err != nil {
				return err
			}
		case err := <-scanErr:
			if errors.Is(err, context.Canceled) || ctx.Err() != nil {
				return f.Flush(context.WithoutCancel(ctx))
			}
			return fmt.Errorf("scanning hci%d: %w", id, err)
		}
	}
}
