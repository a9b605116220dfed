package azfunc

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/services/analyzer/cmd/internal/serverless"
)

// MaxBody bounds one invocation request: a batch of maxBatchSize Kafka
// records of at most a few KiB each, with room to spare.
const MaxBody = 64 << 20

// Handler serves POST /<function> for one Kafka-triggered function. Its
// Core must have DeadLetter set.
type Handler struct {
	Core   *serverless.Handler
	Logger *slog.Logger
	// Binding is the trigger's name in function.json.
	Binding string
}

// Summary is the ReturnValue of a successful invocation.
type Summary struct {
	Records      int `json:"records"`
	Applied      int `json:"applied"`
	Duplicates   int `json:"duplicates"`
	Alerts       int `json:"alerts"`
	DeadLettered int `json:"deadLettered"`
}

// ServeHTTP implements http.Handler. It answers 200 once every alert and
// dead letter of the batch is acknowledged and state and offsets are
// committed, and 500 when the batch must be retried (the extension then
// does not commit its offsets).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var req Request
	if err := json.NewDecoder(io.LimitReader(r.Body, MaxBody)).Decode(&req); err != nil {
		h.fail(w, r, http.StatusBadRequest, fmt.Errorf("reading invocation request: %w", err))
		return
	}
	raw, ok := req.Data[h.Binding]
	if !ok {
		h.fail(w, r, http.StatusBadRequest, fmt.Errorf("invocation request has no data for binding %q", h.Binding))
		return
	}
	evs, err := events(raw)
	if err != nil {
		h.fail(w, r, http.StatusBadRequest, err)
		return
	}
	recs := make([]*kgo.Record, len(evs))
	for i, ev := range evs {
		recs[i] = ev.record()
	}
	res, err := h.Core.Process(ctx, recs)
	if err != nil {
		h.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	logs := make([]string, 0, len(res.Poison)+1)
	for _, p := range res.Poison {
		verb := "dead-lettered"
		if p.Redelivered {
			verb = "already dead-lettered"
		}
		logs = append(logs, fmt.Sprintf("%s %s[%d]@%d: %v", verb, p.Record.Topic, p.Record.Partition, p.Record.Offset, p.Err))
		h.Logger.WarnContext(ctx, "poison record", "topic", p.Record.Topic, "partition", p.Record.Partition, "offset", p.Record.Offset,
			"redelivered", p.Redelivered, "err", p.Err)
	}
	sum := Summary{Records: res.Records, Applied: res.Applied, Duplicates: res.Duplicates, Alerts: res.Alerts, DeadLettered: res.DeadLettered}
	logs = append(logs, fmt.Sprintf("applied %d of %d records (%d duplicates): %d alerts, %d dead-lettered",
		sum.Applied, sum.Records, sum.Duplicates, sum.Alerts, sum.DeadLettered))
	h.Logger.InfoContext(ctx, "batch done", "records", sum.Records, "applied", sum.Applied, "duplicates", sum.Duplicates,
		"alerts", sum.Alerts, "dead_lettered", sum.DeadLettered)
	writeJSON(w, http.StatusOK, Response{Outputs: map[string]any{}, Logs: logs, ReturnValue: sum})
}

// fail answers a failed invocation: the host logs the Logs and, with
// commitOnFailure false, redelivers the batch.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, status int, err error) {
	h.Logger.ErrorContext(r.Context(), "invocation failed", "err", err)
	writeJSON(w, status, Response{Outputs: map[string]any{}, Logs: []string{"invocation failed: " + err.Error()}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
