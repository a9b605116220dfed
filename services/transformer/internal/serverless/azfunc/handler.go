package azfunc

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/services/transformer/internal/serverless"
)

// MaxBody bounds one invocation request: a batch of maxBatchSize Kafka
// records of at most a few KiB each, with room to spare.
const MaxBody = 64 << 20

// Handler serves POST /<function> for one Kafka-triggered function.
type Handler struct {
	Core   *serverless.Handler
	Client *kgo.Client
	Logger *slog.Logger
	// Binding is the trigger's name in function.json.
	Binding string
	// Now stamps dead letters; nil is time.Now.
	Now func() time.Time
}

// Summary is the ReturnValue of a successful invocation.
type Summary struct {
	Records      int `json:"records"`
	Readings     int `json:"readings"`
	DeadLettered int `json:"deadLettered"`
}

// ServeHTTP implements http.Handler. It answers 200 once every reading and
// dead letter of the batch is acknowledged by the brokers, and 500 when the
// batch must be retried (the extension then does not commit its offsets).
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
	out := res.Outputs
	logs := make([]string, 0, len(res.Poison)+1)
	for _, p := range res.Poison {
		out = append(out, eventbus.DLQRecord(p.Record, p.Err, h.now()))
		msg := fmt.Sprintf("dead-lettered %s[%d]@%d: %v", p.Record.Topic, p.Record.Partition, p.Record.Offset, p.Err)
		h.Logger.WarnContext(ctx, "poison record", "topic", p.Record.Topic, "partition", p.Record.Partition, "offset", p.Record.Offset, "err", p.Err)
		logs = append(logs, msg)
	}
	if err := serverless.Publish(ctx, h.Client, out); err != nil {
		h.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	sum := Summary{Records: len(recs), Readings: len(res.Outputs), DeadLettered: len(res.Poison)}
	logs = append(logs, fmt.Sprintf("decoded %d records: %d readings, %d dead-lettered", sum.Records, sum.Readings, sum.DeadLettered))
	h.Logger.InfoContext(ctx, "batch done", "records", sum.Records, "readings", sum.Readings, "dead_lettered", sum.DeadLettered)
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

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}
