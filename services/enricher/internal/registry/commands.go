package registry

import (
	"math"
	"time"

	"github.com/bluestream/bluestream/services/enricher/internal/identity"
)

// AnyVersion as an expected version skips the optimistic concurrency check, for
// callers that hold no earlier read (operators fixing data by hand).
const AnyVersion uint64 = math.MaxUint64

// RegisterGateway adds a gateway; ExpectedVersion must be 0 (it must not exist).
type RegisterGateway struct {
	GatewayID       string
	Tenant          string
	Placement       Placement
	RSSIAt1m        float64
	ExpectedVersion uint64
}

// MoveGateway changes a gateway's placement and, if RSSIAt1m is non-zero, its
// calibration (a moved antenna usually needs one).
type MoveGateway struct {
	GatewayID       string
	Placement       Placement
	RSSIAt1m        float64
	ExpectedVersion uint64
}

// RetireGateway takes a gateway out of service.
type RetireGateway struct {
	GatewayID       string
	ExpectedVersion uint64
}

// RegisterDevice adds a device with at least one identity (address, iBeacon,
// Eddystone or IRK); ExpectedVersion must be the current version: 0 for a new id.
type RegisterDevice struct {
	DeviceID        string
	Tenant          string
	Identity        Identity
	IRKs            []identity.IRK
	Category        Category
	OwnerRef        string
	Consent         bool
	ExpectedVersion uint64
}

// AssignDevice gives a device a new owner and category.
type AssignDevice struct {
	DeviceID        string
	Category        Category
	OwnerRef        string
	Consent         bool
	ExpectedVersion uint64
}

// RecordAgreement records a works-council agreement for a site, or for the whole
// tenant when Site is empty; ValidTo zero means open-ended.
type RecordAgreement struct {
	AgreementID     string
	Tenant          string
	Site            string
	ValidFrom       time.Time
	ValidTo         time.Time
	ExpectedVersion uint64
}

// RequestErasure erases one device's data subject (DeviceID, checked against
// ExpectedVersion) or every device of one owner (Tenant and OwnerRef, at their
// current versions). Erasing a device erases every device sharing its subject key:
// the key is what gets destroyed. RequestID ties the events to the request.
type RequestErasure struct {
	RequestID       string
	Tenant          string
	DeviceID        string
	OwnerRef        string
	ExpectedVersion uint64
}

// Command is one of the command types above; each decides its events in its own file.
type Command interface {
	decide(s *state, dc decision) ([]Event, error)
}
