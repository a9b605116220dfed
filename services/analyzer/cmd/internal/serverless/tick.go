package serverless

import (
	"context"

	"github.com/twmb/franz-go/pkg/kadm"

	"github.com/bluestream/bluestream/platform/serverless"
	"github.com/bluestream/bluestream/services/analyzer/internal/analyze"
	"github.com/bluestream/bluestream/services/analyzer/internal/kafkaio"
	"github.com/bluestream/bluestream/services/analyzer/internal/projection"
)

// Tick moves event time on to the wall clock less the engine's lateness,
// as the service's consumer does whenever it has read everything: devices
// and gateways that fell silent time out, their presence ends and their
// alerts are published, without a new reading. It leaves event time alone
// while the input holds records no batch has committed yet (the event
// source is behind): those may be the silent devices' reports. Ticks take
// the batches' lock, so a tick and a batch never overwrite each other.
func (h *Handler) Tick(ctx context.Context) (serverless.Summary, error) {
	var sum TickSummary
	err := h.withEngine(ctx, func(eng *analyze.Engine) error {
		caught, err := kafkaio.CaughtUp(ctx, kadm.NewClient(h.Client.Client), h.Input, eng.Offsets())
		if err != nil || !caught {
			sum.Behind = !caught
			return err
		}
		sum.At = h.now().Add(-h.Engine.Lateness).UTC()
		out := eng.Tick(sum.At)
		alerts := make([]pendingAlert, len(out.Alerts))
		for i, ev := range out.Alerts {
			alerts[i] = pendingAlert{ctx: ctx, ev: ev}
		}
		for _, p := range out.Presence {
			if p.Kind == projection.Disappeared {
				sum.Disappeared++
			}
		}
		sum.Alerts = len(alerts)
		return h.publishAndCommit(ctx, eng, nil, alerts)
	})
	if err != nil {
		return nil, err
	}
	return sum, nil
}
