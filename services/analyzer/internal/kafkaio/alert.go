package kafkaio

import (
	"context"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/services/analyzer/internal/alert"
	"github.com/bluestream/bluestream/services/analyzer/internal/analyze"
	"github.com/bluestream/bluestream/services/analyzer/internal/mapper"
)

// AlertRecord is ev as the analyzer publishes it on topic: keyed by its
// subject (device, else gateway), naming the device's last zone as e knows
// it, and with a ce_id that a repeat of the same event shares, so consumers
// drop the repeat a crash or a redelivery causes. The record continues the
// trace in ctx.
func AlertRecord(ctx context.Context, enc eventbus.Encoder, topic string, e *analyze.Engine, ev alert.Event) (*kgo.Record, error) {
	msg, key := mapper.Event(ev, zoneOf(e, ev.Alert.DeviceID))
	return enc.Record(ctx, eventbus.Event{
		Topic: topic, Key: key, Msg: msg, Time: ev.At,
		ID: ev.Alert.ID + "/" + ev.Type.String(),
	})
}

// zoneOf is the device's last zone; empty for gateway alerts and for
// devices the engine may not show.
func zoneOf(e *analyze.Engine, deviceID string) string {
	if deviceID == "" {
		return ""
	}
	d, ok := e.Device(deviceID)
	if !ok {
		return ""
	}
	return d.Zone.Key()
}
