package stream_test

import (
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/enricher/internal/enrich"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
)

// retiringDirectory is the real registry, retiring a gateway right after the
// enricher first looked it up: as if an operator retired it while the
// advertisement's merge window was open.
type retiringDirectory struct {
	*registry.Registry
	t      testing.TB
	retire map[string]bool
}

func (d *retiringDirectory) Gateway(id string) (registry.Gateway, error) {
	gw, err := d.Registry.Gateway(id)
	if err == nil && d.retire[id] {
		delete(d.retire, id)
		exec(d.t, d.Registry, registry.RetireGateway{GatewayID: id, ExpectedVersion: gw.Version})
	}
	return gw, err
}

// A valid advertisement whose gateways all retire before its merge window closes
// cannot be enriched, ever: its copies go to the DLQ and the batch, including the
// readings around it, goes on. Whether a later reading's Add or the batch's
// flush closes the window, the reading that closed it is enriched, not blamed.
func TestUnenrichableCopiesGoToTheDLQAndTheBatchGoesOn(t *testing.T) {
	t.Parallel()
	for name, later := range map[string]time.Duration{"closed by a later reading": 10 * time.Second, "closed by the flush": 0} {
		t.Run(name, func(t *testing.T) {
			r := newRig(t)
			dir := &retiringDirectory{Registry: r.reg, t: t, retire: map[string]bool{"gw-a": true, "gw-b": true}}
			enr, err := enrich.New(enrich.Config{}, dir, r.pseudo)
			if err != nil {
				t.Fatal(err)
			}
			r.stage.Enricher = enr
			in := []*kgo.Record{reading(t, "gw-a", -60, t0, 1), reading(t, "gw-b", -70, t0.Add(time.Millisecond), 1)}
			if later > 0 {
				in = append(in, reading(t, "gw-c", -65, t0.Add(later), 2))
			}
			out := batch(t, r.stage, in...)
			var dead, enriched int
			for _, rec := range out {
				switch rec.Topic {
				case topic.DLQ(topic.Readings):
					dead++
					reason, _ := eventbus.Header(rec, eventbus.HeaderDLQReason)
					msg, _ := eventbus.Header(rec, eventbus.HeaderDLQError)
					if reason != "unenrichable" || !strings.Contains(msg, "registered") {
						t.Errorf("dead letter reason %q, error %q: want unenrichable, naming the unregistered gateways", reason, msg)
					}
				case topic.Enriched:
					enriched++
				default:
					t.Errorf("record to %s", rec.Topic)
				}
			}
			if want := len(in) - 2; dead != 2 || enriched != want {
				t.Errorf("%d dead letters and %d enriched readings, want 2 and %d", dead, enriched, want)
			}
		})
	}
}
