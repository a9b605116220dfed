package azfunc_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/serverless"
	"github.com/bluestream/bluestream/platform/serverless/azfunc"
	"github.com/bluestream/bluestream/platform/serverless/serverlesstest"
)

// core records what it is handed and fails the records poison names; the
// ones redelivered names it reports as consumed by an earlier delivery.
type core struct {
	batches     []serverless.Batch
	poison      map[int64]bool
	redelivered map[int64]bool
	err         error
	ticks       int
}

type summary struct {
	Records int `json:"records"`
}

func (s summary) String() string       { return fmt.Sprintf("%d records", s.Records) }
func (s summary) LogValue() slog.Value { return slog.IntValue(s.Records) }

func (c *core) Process(_ context.Context, b serverless.Batch) (serverless.Result, error) {
	c.batches = append(c.batches, b)
	if c.err != nil {
		return serverless.Result{}, c.err
	}
	res := serverless.Result{Summary: summary{len(b.Records)}}
	for _, r := range b.Records {
		if c.poison[r.Offset] {
			res.Poison = append(res.Poison, serverless.Failure{Record: r, Err: errors.New("unmarshal: bad bytes"), Redelivered: c.redelivered[r.Offset]})
		}
	}
	return res, nil
}

func (c *core) Tick(context.Context) (serverless.Summary, error) {
	c.ticks++
	return summary{}, c.err
}

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// server serves c as a function app with a Kafka-triggered function
// "consume" (binding "events") and a timer-triggered "tick" (binding
// "timer").
func server(t *testing.T, c *core) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("POST /consume", &azfunc.Handler{Core: c, Logger: discard, Binding: "events"})
	mux.Handle("POST /tick", &azfunc.TimerHandler{Ticker: c, Logger: discard, Binding: "timer"})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

var at = time.Date(2026, 11, 23, 9, 30, 0, 123_000_000, time.UTC)

func records() []*kgo.Record {
	return []*kgo.Record{
		{Topic: "t", Partition: 2, Offset: 40, Key: []byte("k"), Value: []byte{0xff, 0x00}, Timestamp: at,
			Headers: []kgo.RecordHeader{{Key: "traceparent", Value: []byte("00-abc")}, {Key: "bin", Value: []byte{0x80}}}},
		{Topic: "t", Partition: 2, Offset: 41, Key: []byte("k"), Value: []byte("v"), Timestamp: at.Add(time.Millisecond)},
	}
}

func TestKafkaInvocationBecomesRecords(t *testing.T) {
	t.Parallel()
	c := &core{}
	srv := server(t, c)
	body := serverlesstest.AzureInvocation(t, "consume", "events", records())
	if !strings.Contains(string(body), `"OffsetArray":[40,41]`) || !strings.Contains(string(body), `"events":["{`) {
		t.Fatalf("invocation is not in the host's format for cardinality MANY: %s", body)
	}

	status, out := serverlesstest.PostAzure(t, srv.URL+"/consume", body)
	if status != http.StatusOK {
		t.Fatalf("status %d, logs %q", status, out.Logs)
	}
	var sum summary
	serverlesstest.ReturnValue(t, out, &sum)
	if sum.Records != 2 || out.Outputs == nil || len(out.Logs) != 1 || out.Logs[0] != "2 records" {
		t.Errorf("response %+v, want the core's summary as ReturnValue and log, empty Outputs", out)
	}
	if len(c.batches) != 1 || !c.batches[0].DeadLetter {
		t.Fatalf("batches %+v, want one that the core must dead-letter", c.batches)
	}
	for i, want := range records() {
		got := c.batches[0].Records[i]
		if fmt.Sprint(got.Topic, got.Partition, got.Offset, got.Key, got.Value, got.Headers, got.Timestamp.UnixMilli()) !=
			fmt.Sprint(want.Topic, want.Partition, want.Offset, want.Key, want.Value, want.Headers, want.Timestamp.UnixMilli()) {
			t.Errorf("record %d = %+v, want %+v", i, got, want)
		}
	}
}

func TestKafkaInvocationShapes(t *testing.T) {
	t.Parallel()
	c := &core{}
	srv := server(t, c)
	event := `{"Offset":7,"Partition":0,"Topic":"t","Timestamp":"2026-11-23T09:30:00.1234567+00:00","Value":"eA==","Key":null,"Headers":[]}`
	quoted, _ := json.Marshal(event)
	for name, data := range map[string]string{
		"objects":         "[" + event + "]",
		"array as string": string(must(json.Marshal("[" + event + "]"))),
		"strings":         "[" + string(quoted) + "]",
	} {
		status, out := serverlesstest.PostAzure(t, srv.URL+"/consume", []byte(`{"Data":{"events":`+data+`},"Metadata":{}}`))
		if status != http.StatusOK {
			t.Errorf("%s: status %d, logs %q", name, status, out.Logs)
			continue
		}
		r := c.batches[len(c.batches)-1].Records[0]
		if r.Offset != 7 || string(r.Value) != "x" || r.Key != nil || r.Timestamp.Nanosecond() != 123456700 {
			t.Errorf("%s: record %+v", name, r)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestPoisonRecordsAreLogged(t *testing.T) {
	t.Parallel()
	c := &core{poison: map[int64]bool{40: true, 41: true}, redelivered: map[int64]bool{41: true}}
	srv := server(t, c)
	status, out := serverlesstest.PostAzure(t, srv.URL+"/consume", serverlesstest.AzureInvocation(t, "consume", "events", records()))
	if status != http.StatusOK {
		t.Fatalf("status %d: a poison record must not fail the batch, or the extension redelivers it forever", status)
	}
	want := []string{"dead-lettered t[2]@40: unmarshal: bad bytes", "already dead-lettered t[2]@41: unmarshal: bad bytes", "2 records"}
	if strings.Join(out.Logs, "\n") != strings.Join(want, "\n") {
		t.Errorf("logs %q, want %q", out.Logs, want)
	}
}

func TestFailedInvocations(t *testing.T) {
	t.Parallel()
	c := &core{err: errors.New("TOPIC_AUTHORIZATION_FAILED")}
	srv := server(t, c)
	for _, tt := range []struct {
		name, path, body string
		status           int
		log              string
	}{
		{"core error", "/consume", string(serverlesstest.AzureInvocation(t, "consume", "events", records())), 500, "TOPIC_AUTHORIZATION_FAILED"},
		{"tick error", "/tick", string(serverlesstest.TimerInvocation(t, "tick", "timer", at)), 500, "TOPIC_AUTHORIZATION_FAILED"},
		{"no kafka binding", "/consume", `{"Data":{"other":[]},"Metadata":{}}`, 400, `binding "events"`},
		{"no timer binding", "/tick", `{"Data":{"other":{}},"Metadata":{}}`, 400, `binding "timer"`},
		{"not json", "/consume", `{"Data":`, 400, "reading invocation request"},
		{"not events", "/consume", `{"Data":{"events":{"Offset":1}},"Metadata":{}}`, 400, "array of events"},
	} {
		status, out := serverlesstest.PostAzure(t, srv.URL+tt.path, []byte(tt.body))
		if status != tt.status || len(out.Logs) != 1 || !strings.Contains(out.Logs[0], tt.log) || out.Outputs == nil {
			t.Errorf("%s: status %d, response %+v; want %d and a log naming %q", tt.name, status, out, tt.status, tt.log)
		}
	}
}

func TestTimerInvocationTicks(t *testing.T) {
	t.Parallel()
	c := &core{}
	srv := server(t, c)
	status, out := serverlesstest.PostAzure(t, srv.URL+"/tick", serverlesstest.TimerInvocation(t, "tick", "timer", at))
	if status != http.StatusOK || c.ticks != 1 || len(c.batches) != 0 {
		t.Fatalf("status %d, %d ticks, %d batches, logs %q: want one tick", status, c.ticks, len(c.batches), out.Logs)
	}
	var sum summary
	serverlesstest.ReturnValue(t, out, &sum)
	if out.Logs[0] != "0 records" {
		t.Errorf("logs %q, want the tick's summary", out.Logs)
	}
	// Some hosts send a binding's data as a string holding its JSON.
	timer := `{"Schedule":{"AdjustForDST":true},"IsPastDue":true}`
	body := `{"Data":{"timer":` + string(must(json.Marshal(timer))) + `},"Metadata":{}}`
	if status, out := serverlesstest.PostAzure(t, srv.URL+"/tick", []byte(body)); status != http.StatusOK || c.ticks != 2 {
		t.Errorf("timer data as a string: status %d, logs %q", status, out.Logs)
	}
}
