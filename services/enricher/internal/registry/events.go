package registry

import (
	"time"

	"github.com/bluestream/bluestream/services/enricher/internal/identity"
)

// Meta is what every event carries: the aggregate it belongs to (the Kafka key on
// registry.events.v1), the aggregate's version after the event, and when it happened.
type Meta struct {
	AggregateID string
	Version     uint64
	OccurredAt  time.Time
}

// Event is one fact in the registry's history.
type Event interface {
	EventMeta() Meta
	isEvent()
}

// EventMeta returns the event's metadata.
func (m Meta) EventMeta() Meta { return m }
func (Meta) isEvent()          {}

// GatewayRegistered records a new gateway.
type GatewayRegistered struct {
	Meta
	Tenant    string
	Placement Placement
	RSSIAt1m  float64
}

// GatewayMoved records a gateway's new placement and calibration.
type GatewayMoved struct {
	Meta
	Placement Placement
	RSSIAt1m  float64
}

// GatewayRetired records that a gateway no longer reports.
type GatewayRetired struct {
	Meta
}

// DeviceRegistered records a new device.
type DeviceRegistered struct {
	Meta
	Tenant    string
	Identity  Identity
	IRKs      []identity.IRK
	Category  Category
	OwnerRef  string
	SubjectID string
	Consent   bool
}

// DeviceAssigned records a device's new owner and category. When the owner, and so
// the subject, changes, it is Rekeyed: it carries the device's identity and IRKs
// again, so the log holds them sealed under the new subject's key and erasing the
// previous owner cannot take them with it.
type DeviceAssigned struct {
	Meta
	Tenant    string
	Category  Category
	OwnerRef  string
	SubjectID string
	Consent   bool
	Rekeyed   bool
	Identity  Identity
	IRKs      []identity.IRK
}

// AgreementRecorded records a works-council agreement.
type AgreementRecorded struct {
	Meta
	Tenant    string
	Site      string
	ValidFrom time.Time
	ValidTo   time.Time
}

// DeviceErased records an erasure request: the device leaves the projection and the
// enricher destroys SubjectID's key in tenant's keystore (crypto-shredding). It
// carries no personal data, so it can stay in the log for good.
type DeviceErased struct {
	Meta
	Tenant    string
	SubjectID string
	RequestID string
}
