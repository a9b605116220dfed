package e2e_test

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/stack"
	"github.com/bluestream/bluestream/stack/registration"
)

// TestSimulatedFleetIsEnrichedAndMirrored checks the stack's own wiring: every
// gateway of the simulated office is registered (its readings get its zone
// rather than the DLQ), every device gets enrolled, and once enrolled, badges
// arrive on the mirror as employees, all under pseudonyms that are not the
// simulator's addresses.
func TestSimulatedFleetIsEnrichedAndMirrored(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	zoneOf := map[string]string{}
	for _, g := range registration.Office {
		zoneOf[g.ID] = g.Zone
	}

	addresses := simulatedAddresses(t, st, simFleet)
	waitUntil(t, "every simulated device enrolled", func() bool { return st.Enrolled() >= simFleet })

	heardBy := map[string]bool{}
	employees := 0
	visit := func(e *blev1.ReadingEnriched) {
		for _, a := range addresses {
			if strings.Contains(strings.ToLower(e.GetDevicePseudonym()), a) {
				t.Errorf("pseudonym %q contains the raw address %s", e.GetDevicePseudonym(), a)
			}
		}
		for _, rx := range e.GetReceivers() {
			want, simulated := zoneOf[rx.GetGatewayId()]
			if !simulated || len(e.GetReceivers()) != 1 {
				continue // the strongest receiver decides the zone
			}
			if got := e.GetPlace().GetZone(); got != want {
				t.Errorf("reading heard only by %s is in zone %q, want %q", rx.GetGatewayId(), got, want)
			}
			heardBy[rx.GetGatewayId()] = true
		}
		if e.GetDataProtection().GetSubjectCategory() == blev1.SubjectCategory_SUBJECT_CATEGORY_EMPLOYEE {
			employees++
		}
	}
	readMirroredEnriched(t, st, visit, func() bool { return len(heardBy) == len(zoneOf) && employees > 0 }, func() string {
		return fmt.Sprintf("gateways heard %v of %d, employee readings %d", heardBy, len(zoneOf), employees)
	})
}

// simulatedAddresses reads the raw addresses of n simulated devices from the
// primary's readings, where they still are.
func simulatedAddresses(t *testing.T, st *stack.Stack, n int) []string {
	t.Helper()
	seen := map[string]bool{}
	findRecord(t, st.Clusters.Primary.ListenAddrs(), topic.Readings, func(r *kgo.Record) bool {
		var rd blev1.ReadingDecoded
		if eventbus.Decode(r, &rd) == nil && rd.GetReceived().GetSource() == blev1.SourceKind_SOURCE_KIND_SIMULATOR {
			seen[hex.EncodeToString(rd.GetReceived().GetAdvertisement().GetAddress())] = true
		}
		return len(seen) >= n
	})
	var out []string
	for a := range seen {
		out = append(out, a)
	}
	return out
}

// waitUntil polls cond until it holds or waitFor passes.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, waitFor)
		}
		<-tick.C
	}
}
