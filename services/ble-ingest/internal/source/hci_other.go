//go:build !linux

package source

import (
	"context"
	"errors"
)

// ScanHCI needs Linux's HCI sockets.
func ScanHCI(context.Context, int, string, *Feeder) error {
	return errors.New("--hci: local HCI scanning needs Linux")
}
