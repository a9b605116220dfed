package alert

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// Rule names the condition an alert reports.
type Rule string

// Rules.
const (
	RuleBatteryLow    Rule = "battery_low"
	RuleOutOfRange    Rule = "out_of_range"
	RuleDeviceSilent  Rule = "device_silent"
	RuleGatewaySilent Rule = "gateway_silent"
	RuleAnomaly       Rule = "anomaly"
)

// Severity ranks alerts for display and routing.
type Severity string

// Severities.
const (
	SeverityWarning  Severity = "warning"
	SeverityCritical Severity = "critical"
)

// Alert is one raised condition.
type Alert struct {
	ID        string    `json:"id"`
	Rule      Rule      `json:"rule"`
	Severity  Severity  `json:"sev"`
	DeviceID  string    `json:"dev,omitempty"` // empty for gateway alerts
	GatewayID string    `json:"gw,omitempty"`
	Quantity  string    `json:"q,omitempty"` // out_of_range and anomaly only
	RaisedAt  time.Time `json:"at"`
	// Value is what tripped the rule: battery percent, measured value, or
	// seconds of silence.
	Value float64 `json:"v"`
	// Threshold is the limit crossed (for anomalies: the z-score limit).
	Threshold float64 `json:"th"`
	Message   string  `json:"msg"`
}

// key is the deduplication identity: one open alert per subject, rule and
// quantity.
type key struct {
	Rule     Rule
	Subject  string // "device/<id>" or "gateway/<id>"
	Quantity string
}

// String is the key in the form used in store keys.
func (k key) String() string { return string(k.Rule) + "|" + k.Subject + "|" + k.Quantity }

// alertID is stable across replays: the same condition raised at the same
// event time always gets the same id, so consumers can deduplicate output
// that a restart re-emits.
func alertID(k key, raisedAt time.Time) string {
	sum := sha256.Sum256([]byte(k.String() + "|" + strconv.FormatInt(raisedAt.UnixNano(), 10)))
	return hex.EncodeToString(sum[:16])
}

// EventType says whether an alert opened or closed.
type EventType uint8

// Event types.
const (
	Raised EventType = iota + 1
	Resolved
)

// String returns "raised" or "resolved".
func (t EventType) String() string {
	switch t {
	case Raised:
		return "raised"
	case Resolved:
		return "resolved"
	}
	return "unknown"
}

// Event is AlertRaised or AlertResolved, stamped with event time.
type Event struct {
	Type   EventType `json:"type"`
	Alert  Alert     `json:"alert"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason,omitempty"` // why a resolved alert closed
}
