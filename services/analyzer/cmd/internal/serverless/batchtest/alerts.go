package batchtest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"

	analyzerv1 "github.com/bluestream/bluestream/gen/bluestream/analyzer/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
)

// CheckSilenceAlerts checks that alerts, published by a tick long after
// the recorded batch, raise device_silent for both sensors (the visitor is
// erased, the badge's category is not watched) and gateway_silent for both
// gateways.
func CheckSilenceAlerts(t testing.TB, alerts []*kgo.Record) {
	t.Helper()
	if got := raised(alerts, "device_silent"); fmt.Sprint(got) != "[sensor-0 sensor-1]" {
		t.Errorf("device_silent raised for %v, want the two sensors", got)
	}
	if got := raised(alerts, "gateway_silent"); fmt.Sprint(got) != "[gw-lab gw-lobby]" {
		t.Errorf("gateway_silent raised for %v, want both gateways", got)
	}
}

// raised lists, sorted, the keys (device or gateway) of the AlertRaised
// records among recs whose rule is rule.
func raised(recs []*kgo.Record, rule string) []string {
	var out []string
	for _, r := range recs {
		var msg analyzerv1.AlertRaised
		if eventbus.Decode(r, &msg) == nil && msg.GetAlert().GetRule() == rule {
			out = append(out, string(r.Key))
		}
	}
	slices.Sort(out)
	return out
}
