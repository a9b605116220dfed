package serverlesstest

import (
	"fmt"
	"strings"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Fingerprints renders what must match byte for byte between targets, one
// string per record, in order: key, timestamp, value and headers except the
// trace context (each target's process span has its own span id).
func Fingerprints(recs []*kgo.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		var b strings.Builder
		fmt.Fprintf(&b, "key=%q ts=%d value=%x", r.Key, r.Timestamp.UnixMilli(), r.Value)
		for _, h := range r.Headers {
			if h.Key == "traceparent" || h.Key == "tracestate" {
				continue
			}
			fmt.Fprintf(&b, " %s=%q", h.Key, h.Value)
		}
		out[i] = b.String()
	}
	return out
}

// DiffFingerprints lists the records whose fingerprints differ; empty when
// got and want are the same.
func DiffFingerprints(got, want []string) string {
	var b strings.Builder
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			fmt.Fprintf(&b, "record %d\n got  %s\n want %s\n", i, g, w)
		}
	}
	return b.String()
}
