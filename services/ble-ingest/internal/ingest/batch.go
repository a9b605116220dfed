package ingest

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
)

// MaxBatch is the most advertisements one batch may carry, as the contract says.
const MaxBatch = 1000

// Batch is one gateway's batch. Sequence increases with every new batch of the
// gateway and repeats on a retry; 0 means the sender does not number its batches,
// so they are never taken for retries (at-least-once rather than silent loss).
type Batch struct {
	GatewayID      string
	Sequence       uint64
	Advertisements []advert.Advertisement
	// ReceivedAt is when ingest took the batch; the Ingester sets it.
	ReceivedAt time.Time
}

// Result is what ingesting one batch did.
type Result struct {
	// Accepted is the number of advertisements now published (by this call or,
	// for a duplicate, by an earlier one).
	Accepted int
	// Duplicate says the batch had been published before and was not again.
	Duplicate bool
}

// Publisher delivers a batch downstream. It returns nil only when every
// advertisement is durably stored; an error means some may be missing, so the
// batch is not recorded as published and a retry publishes it again.
type Publisher interface {
	Publish(ctx context.Context, b Batch) error
}

// ErrOverloaded means too many advertisements or bytes are already in flight;
// the caller should retry later. Nothing of the batch was published.
var ErrOverloaded = errors.New("ingest overloaded: too many advertisements in flight, retry later")

// InvalidError names what is wrong with a batch. Field is a path below the batch
// in the contract's snake_case, e.g. "advertisements[3].payload".
type InvalidError struct {
	Field  string
	Reason string
}

func (e *InvalidError) Error() string { return e.Field + ": " + e.Reason }

// UnavailableError means the publisher failed or did not answer in time; the
// batch is not recorded as published.
type UnavailableError struct{ Err error }

func (e *UnavailableError) Error() string { return fmt.Sprintf("publishing batch: %v", e.Err) }
func (e *UnavailableError) Unwrap() error { return e.Err }

// invalidAt turns an advertisement's validation error into an InvalidError
// whose path names its index in the batch and its first bad field.
func invalidAt(i int, err error) error {
	var verr advert.ValidationError
	if errors.As(err, &verr) && len(verr) > 0 {
		reason := verr[0].Reason
		if len(verr) > 1 {
			reason += fmt.Sprintf(" (and %d more: %v)", len(verr)-1, verr[1:])
		}
		return &InvalidError{Field: fmt.Sprintf("advertisements[%d].%s", i, verr[0].Field), Reason: reason}
	}
	return &InvalidError{Field: fmt.Sprintf("advertisements[%d]", i), Reason: err.Error()}
}
