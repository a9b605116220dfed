package azfunc

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/serverless"
)

// MaxBody bounds one invocation request: a batch of maxBatchSize Kafka
// records of at most a few KiB each, with room to spare.
const MaxBody = 64 << 20

// Handler serves POST /<function> for one Kafka-triggered function.
type Handler struct {
	Core   serverless.Core
	Logger *slog.Logger
	// Binding is the trigger's name in function.json.
	Binding string
}

// ServeHTTP implements http.Handler. It answers 200 once the core is done
// with the batch, poison records dead-lettered, with the core's Summary as
// the ReturnValue; 500 when the batch must be retried (the extension then
// does not commit its offsets); 400 when the request is not an invocation
// of this trigger.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	serve(w, r, h.Logger, h.Binding, events, h.process)
}

// process hands the events to the core as one batch whose poison records
// it must dead-letter, and logs each of those.
func (h *Handler) process(ctx context.Context, evs []Event) ([]string, any, error) {
	recs := make([]*kgo.Record, len(evs))
	for i, ev := range evs {
		recs[i] = ev.record()
	}
	res, err := h.Core.Process(ctx, serverless.Batch{Records: recs, DeadLetter: true})
	if err != nil {
		return nil, nil, err
	}
	logs := make([]string, 0, len(res.Poison)+1)
	for _, p := range res.Poison {
		verb := "dead-lettered"
		if p.Redelivered {
			verb = "already dead-lettered"
		}
		logs = append(logs, fmt.Sprintf("%s %s[%d]@%d: %v", verb, p.Record.Topic, p.Record.Partition, p.Record.Offset, p.Err))
		h.Logger.WarnContext(ctx, "poison record", "topic", p.Record.Topic, "partition", p.Record.Partition,
			"offset", p.Record.Offset, "redelivered", p.Redelivered, "err", p.Err)
	}
	logs = append(logs, res.Summary.String())
	h.Logger.InfoContext(ctx, "batch done", "summary", res.Summary)
	return logs, res.Summary, nil
}

// serve answers one invocation of the trigger named binding, whatever its
// kind: read parses the trigger's data and run does the work. It answers
// 400 when the request is not such an invocation (no data under binding,
// or data read cannot parse), 500 when run fails, else 200 with run's logs
// and return value.
func serve[T any](w http.ResponseWriter, r *http.Request, log *slog.Logger, binding string,
	read func(json.RawMessage) (T, error), run func(context.Context, T) (logs []string, ret any, err error)) {
	raw, err := bindingData(r, binding)
	if err != nil {
		fail(w, r, log, http.StatusBadRequest, err)
		return
	}
	data, err := read(raw)
	if err != nil {
		fail(w, r, log, http.StatusBadRequest, err)
		return
	}
	logs, ret, err := run(r.Context(), data)
	if err != nil {
		fail(w, r, log, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, http.StatusOK, Response{Outputs: map[string]any{}, Logs: logs, ReturnValue: ret})
}

// bindingData reads an invocation request and returns the trigger's data
// under its binding name.
func bindingData(r *http.Request, binding string) (json.RawMessage, error) {
	var req Request
	if err := json.NewDecoder(io.LimitReader(r.Body, MaxBody)).Decode(&req); err != nil {
		return nil, fmt.Errorf("reading invocation request: %w", err)
	}
	raw, ok := req.Data[binding]
	if !ok {
		return nil, fmt.Errorf("invocation request has no data for binding %q", binding)
	}
	return raw, nil
}

// fail answers a failed invocation: the host logs the Logs and, for a
// Kafka trigger with commitOnFailure false, redelivers the batch.
func fail(w http.ResponseWriter, r *http.Request, log *slog.Logger, status int, err error) {
	log.ErrorContext(r.Context(), "invocation failed", "err", err)
	writeJSON(w, status, Response{Outputs: map[string]any{}, Logs: []string{"invocation failed: " + err.Error()}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
