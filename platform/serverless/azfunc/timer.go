package azfunc

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/bluestream/bluestream/platform/serverless"
)

// Timer is a timer trigger's data. ScheduleStatus is absent when the
// trigger does not monitor its schedule (useMonitor false).
type Timer struct {
	Schedule struct {
		AdjustForDST bool `json:"AdjustForDST"`
	} `json:"Schedule"`
	ScheduleStatus *struct {
		Last        string `json:"Last"`
		Next        string `json:"Next"`
		LastUpdated string `json:"LastUpdated"`
	} `json:"ScheduleStatus"`
	// IsPastDue is true when the invocation makes up for an occurrence
	// the host missed (the app was down or busy).
	IsPastDue bool `json:"IsPastDue"`
}

// TimerHandler serves POST /<function> for one timer-triggered function.
type TimerHandler struct {
	Ticker serverless.Ticker
	Logger *slog.Logger
	// Binding is the trigger's name in function.json.
	Binding string
}

// ServeHTTP implements http.Handler: 200 with the tick's Summary as the
// ReturnValue, 500 when the tick failed (the next occurrence tries again).
func (h *TimerHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	serve(w, r, h.Logger, h.Binding, readTimer, h.tick)
}

// readTimer reads a timer trigger's data.
func readTimer(raw json.RawMessage) (Timer, error) {
	var timer Timer
	if err := json.Unmarshal(unquote(raw), &timer); err != nil {
		return Timer{}, fmt.Errorf("reading timer data: %w", err)
	}
	return timer, nil
}

// tick ticks the core once.
func (h *TimerHandler) tick(ctx context.Context, timer Timer) ([]string, any, error) {
	sum, err := h.Ticker.Tick(ctx)
	if err != nil {
		return nil, nil, err
	}
	h.Logger.InfoContext(ctx, "tick done", "past_due", timer.IsPastDue, "summary", sum)
	return []string{sum.String()}, sum, nil
}
