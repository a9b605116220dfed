package registration

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"

	"connectrpc.com/connect"
	"github.com/twmb/franz-go/pkg/kgo"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	registryv1 "github.com/bluestream/bluestream/gen/bluestream/registry/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
)

// Category is the subject category the stack enrols a device under, judged by
// what it advertises: iBeacon badges are worn by employees, telemetry beacons
// and environment sensors are assets and sensors, anything else is a visitor's
// phone or gadget.
func Category(formats []string) blev1.SubjectCategory {
	for _, f := range formats {
		switch {
		case f == "ibeacon":
			return blev1.SubjectCategory_SUBJECT_CATEGORY_EMPLOYEE
		case strings.HasPrefix(f, "eddystone"), f == "altbeacon":
			return blev1.SubjectCategory_SUBJECT_CATEGORY_ASSET
		case strings.HasPrefix(f, "ruuvi"), strings.HasPrefix(f, "bthome"), f == "atc1441", f == "pvvx", f == "xiaomi-mibeacon":
			return blev1.SubjectCategory_SUBJECT_CATEGORY_SENSOR
		}
	}
	return blev1.SubjectCategory_SUBJECT_CATEGORY_VISITOR
}

// Enroller registers every device the first time a reading of it appears.
type Enroller struct {
	Registrar Registrar
	Logger    *slog.Logger
	seen      map[string]bool
	enrolled  atomic.Int64
}

// Run reads ble.readings.v1 through client, which consumes it from the start,
// until ctx ends.
func (e *Enroller) Run(ctx context.Context, client *kgo.Client) error {
	if e.seen == nil {
		e.seen = map[string]bool{}
	}
	for {
		fetches := client.PollFetches(ctx)
		if ctx.Err() != nil {
			return nil
		}
		for _, fe := range fetches.Errors() {
			e.Logger.Warn("reading readings for enrolment", "topic", fe.Topic, "err", fe.Err)
		}
		fetches.EachRecord(func(r *kgo.Record) {
			var rd blev1.ReadingDecoded
			if eventbus.Decode(r, &rd) != nil {
				return // the enricher DLQs what it cannot read; nothing to enrol
			}
			// A failed registration (enricher restarting) is retried at the
			// device's next reading: it stays unseen.
			if err := e.enrol(ctx, &rd); err != nil && ctx.Err() == nil {
				e.Logger.Warn("enrolling device", "err", err)
			}
		})
	}
}

// Enrolled reports how many distinct devices were registered or found
// registered. Safe to call while Run runs.
func (e *Enroller) Enrolled() int { return int(e.enrolled.Load()) }

func (e *Enroller) enrol(ctx context.Context, rd *blev1.ReadingDecoded) error {
	adv := rd.GetReceived().GetAdvertisement()
	addr := adv.GetAddress()
	if len(addr) != 6 || e.seen[string(addr)] {
		return nil
	}
	// The device id is random, never derived from the address: the registry
	// seals addresses, and an id that could be reversed to one would leak it.
	id := make([]byte, 8)
	_, _ = rand.Read(id)
	category := Category(rd.GetDecoded().GetFormats())
	_, err := e.Registrar.Client.RegisterDevice(ctx, connect.NewRequest(&registryv1.RegisterDeviceRequest{
		DeviceId: "dev-" + hex.EncodeToString(id),
		Identity: &registryv1.DeviceIdentity{Kind: &registryv1.DeviceIdentity_Address{Address: addr}, AddressType: adv.GetAddressType()},
		Category: category, Tenant: Tenant,
		Consent: category == blev1.SubjectCategory_SUBJECT_CATEGORY_VISITOR,
	}))
	if err := done(err); err != nil {
		if connect.CodeOf(err) == connect.CodeInvalidArgument {
			e.Logger.Warn("device not enrolled", "err", err)
			e.seen[string(addr)] = true // the same reading will not become valid later
			return nil
		}
		return fmt.Errorf("enrolling a %s device: %w", category, err)
	}
	e.seen[string(addr)] = true
	e.enrolled.Add(1)
	return nil
}
