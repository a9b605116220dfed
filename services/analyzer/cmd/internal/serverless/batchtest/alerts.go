package batchtest

import (
	"slices"

	"github.com/twmb/franz-go/pkg/kgo"

	analyzerv1 "github.com/bluestream/bluestream/gen/bluestream/analyzer/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
)

// Raised lists, sorted, the keys (device or gateway) of the AlertRaised
// records among recs whose rule is rule.
func Raised(recs []*kgo.Record, rule string) []string {
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
