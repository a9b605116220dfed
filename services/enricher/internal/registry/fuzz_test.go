package registry

import (
	"reflect"
	"testing"

	"github.com/bluestream/bluestream/services/enricher/internal/identity"
)

// FuzzCommandsReplay drives the registry with arbitrary command sequences and checks
// the event-sourcing invariant: whatever was accepted, replaying the accepted events
// rebuilds exactly the live projection, and rejected commands leave it untouched.
func FuzzCommandsReplay(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 0, 3})
	f.Add([]byte{3, 3, 6, 3, 4, 6, 6})
	f.Fuzz(func(t *testing.T, script []byte) {
		live := New(stepClock())
		var log []Event
		for i := 0; i+1 < len(script) && i < 64; i += 2 {
			cmd := scriptedCommand(live, script[i], script[i+1])
			before := live.Snapshot()
			events, err := live.Execute(cmd)
			if err != nil {
				if !reflect.DeepEqual(live.Snapshot(), before) {
					t.Fatalf("rejected %T changed the projection", cmd)
				}
				continue
			}
			log = append(log, events...)
		}
		replayed := New(stepClock())
		if err := replayed.Replay(log); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(replayed.Snapshot(), live.Snapshot()) {
			t.Fatal("replay differs from live projection")
		}
	})
}

// scriptedCommand picks a command type from op and a small id space from arg, so the
// fuzzer hits duplicates, conflicts and erasures often.
func scriptedCommand(r *Registry, op, arg byte) Command {
	gw := []string{"gw-a", "gw-b"}[arg%2]
	dev := []string{"dev-a", "dev-b", "dev-c"}[arg%3]
	version := uint64(arg>>4) % 3
	if arg&0x08 != 0 {
		version = r.DeviceVersion(dev)
	}
	address := identity.Address{0xC0, 0, 0, 0, 0, arg % 4}
	switch op % 8 {
	case 0:
		return RegisterGateway{GatewayID: gw, Tenant: "acme", Placement: placement("z", float64(arg), 1), RSSIAt1m: -59}
	case 1:
		return MoveGateway{GatewayID: gw, Placement: placement("y", 2, float64(arg)), ExpectedVersion: r.GatewayVersion(gw)}
	case 2:
		return RetireGateway{GatewayID: gw, ExpectedVersion: version}
	case 3:
		return RegisterDevice{DeviceID: dev, Tenant: "acme", Identity: Identity{Address: &address, AddressType: identity.AddressRandom},
			IRKs: []identity.IRK{{arg % 5}}, Category: Category(1 + arg%4), OwnerRef: []string{"", "E-1"}[arg%2], ExpectedVersion: version}
	case 4:
		return AssignDevice{DeviceID: dev, Category: CategoryEmployee, OwnerRef: "E-2", ExpectedVersion: version}
	case 5:
		return RecordAgreement{AgreementID: "BV", Tenant: "acme", ValidFrom: t0, ExpectedVersion: r.AgreementVersion("BV")}
	case 6:
		return RequestErasure{DeviceID: dev, ExpectedVersion: version}
	default:
		return RequestErasure{Tenant: "acme", OwnerRef: "E-1"}
	}
}
