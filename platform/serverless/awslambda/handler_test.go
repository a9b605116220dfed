package awslambda_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/serverless"
	"github.com/bluestream/bluestream/platform/serverless/awslambda"
	"github.com/bluestream/bluestream/platform/serverless/serverlesstest"
)

// core records what it is handed and fails the records poison names.
type core struct {
	batches []serverless.Batch
	poison  map[int64]bool
	err     error
	ticks   int
}

type count int

func (c count) String() string       { return fmt.Sprintf("%d records", int(c)) }
func (c count) LogValue() slog.Value { return slog.IntValue(int(c)) }

func (c *core) Process(_ context.Context, b serverless.Batch) (serverless.Result, error) {
	c.batches = append(c.batches, b)
	if c.err != nil {
		return serverless.Result{}, c.err
	}
	res := serverless.Result{Summary: count(len(b.Records))}
	for _, r := range b.Records {
		if c.poison[r.Offset] {
			res.Poison = append(res.Poison, serverless.Failure{Record: r, Err: errors.New("poison")})
		}
	}
	return res, nil
}

func (c *core) Tick(context.Context) (serverless.Summary, error) {
	c.ticks++
	return count(0), c.err
}

func handler(c *core) *awslambda.Handler {
	return &awslambda.Handler{Core: c, Ticker: c, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// invoke hands payload to the function as the runtime does and returns
// its answer as the runtime would post it.
func invoke(t *testing.T, h *awslambda.Handler, payload string) (string, error) {
	t.Helper()
	out, err := h.Invoke(t.Context(), json.RawMessage(payload))
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b), nil
}

// mskEvent is an MSK event as the event source mapping delivers it: two
// topic-partition groups, listed out of order, with headers as arrays of
// signed bytes (0xff arrives as -1) and a header name repeated.
const mskEvent = `{"eventSource":"aws:kafka",
 "eventSourceArn":"arn:aws:kafka:eu-central-1:123456789012:cluster/bluestream/abcd",
 "bootstrapServers":"b-1:9098,b-2:9098",
 "records":{
  "ble.advertisements.v1-1":[{"topic":"ble.advertisements.v1","partition":1,"offset":7,"timestamp":1595035749700,
    "timestampType":"CREATE_TIME","key":"a2V5LTE=","value":"dmFsdWUtMQ==","headers":[]}],
  "ble.advertisements.v1-0":[
   {"topic":"ble.advertisements.v1","partition":0,"offset":16,"timestamp":1595035749701,"timestampType":"CREATE_TIME",
    "key":"a2V5LTA=","value":"//8A","headers":[{"traceparent":[48,48,45,52]},{"bin":[-1,0,127,-128]},{"bin":[49]}]},
   {"topic":"ble.advertisements.v1","partition":0,"offset":15,"timestamp":1595035749700,"timestampType":"CREATE_TIME",
    "key":"a2V5LTA=","value":"dmFsdWUtMA==","headers":[]}]}}`

func TestKafkaEventBecomesOrderedRecords(t *testing.T) {
	t.Parallel()
	c := &core{}
	got, err := invoke(t, handler(c), mskEvent)
	if err != nil {
		t.Fatal(err)
	}
	if got != `{"batchItemFailures":[]}` {
		t.Errorf("answer %s, want an empty batchItemFailures list", got)
	}
	if len(c.batches) != 1 || c.batches[0].DeadLetter {
		t.Fatalf("batches %+v, want one, not to be dead-lettered by the core", c.batches)
	}
	var lines []string
	for _, r := range c.batches[0].Records {
		lines = append(lines, describe(r))
	}
	want := []string{
		`ble.advertisements.v1[0]@15 key="key-0" value="value-0" ts=1595035749700`,
		`ble.advertisements.v1[0]@16 key="key-0" value="\xff\xff\x00" ts=1595035749701 traceparent="00-4" bin="\xff\x00\x7f\x80" bin="1"`,
		`ble.advertisements.v1[1]@7 key="key-1" value="value-1" ts=1595035749700`,
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("records\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

func describe(r *kgo.Record) string {
	s := fmt.Sprintf("%s[%d]@%d key=%q value=%q ts=%d", r.Topic, r.Partition, r.Offset, r.Key, r.Value, r.Timestamp.UnixMilli())
	for _, h := range r.Headers {
		s += fmt.Sprintf(" %s=%q", h.Key, h.Value)
	}
	return s
}

func TestSelfManagedKafkaEvent(t *testing.T) {
	t.Parallel()
	c := &core{}
	ev := `{"eventSource":"SelfManagedKafka","bootstrapServers":"kafka-1:9092",
	 "records":{"t-0":[{"topic":"t","partition":0,"offset":3,"timestamp":1595035749700,"timestampType":"LOG_APPEND_TIME",
	 "key":"","value":"eA==","headers":[]}]}}`
	if _, err := invoke(t, handler(c), ev); err != nil {
		t.Fatal(err)
	}
	if len(c.batches) != 1 || len(c.batches[0].Records) != 1 || string(c.batches[0].Records[0].Value) != "x" {
		t.Errorf("batches %+v, want the one record", c.batches)
	}
}

func TestPoisonAndUndecodableRecordsAreBatchItemFailures(t *testing.T) {
	t.Parallel()
	c := &core{poison: map[int64]bool{16: true}}
	ev := strings.Replace(mskEvent, `"value":"dmFsdWUtMQ=="`, `"value":"!!not base64"`, 1)
	got, err := invoke(t, handler(c), ev)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"batchItemFailures":[` +
		`{"itemIdentifier":{"topic-partition":"ble.advertisements.v1-0","offset":16}},` +
		`{"itemIdentifier":{"topic-partition":"ble.advertisements.v1-1","offset":7}}]}`
	if got != want {
		t.Errorf("answer\n%s\nwant\n%s", got, want)
	}
	if n := len(c.batches[0].Records); n != 2 {
		t.Errorf("core got %d records, want the 2 that decode", n)
	}
}

func TestCoreErrorFailsTheInvocation(t *testing.T) {
	t.Parallel()
	c := &core{err: errors.New("brokers unreachable")}
	if _, err := invoke(t, handler(c), mskEvent); err == nil || !strings.Contains(err.Error(), "brokers unreachable") {
		t.Errorf("err %v, want the core's", err)
	}
}

func TestScheduledEventTicks(t *testing.T) {
	t.Parallel()
	c := &core{}
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	got, err := invoke(t, handler(c), string(serverlesstest.ScheduledEvent(t, at)))
	if err != nil {
		t.Fatal(err)
	}
	if c.ticks != 1 || len(c.batches) != 0 || got != "0" {
		t.Errorf("ticks %d, batches %d, answer %s: want one tick answered with its summary", c.ticks, len(c.batches), got)
	}

	c.err = errors.New("store unreachable")
	if _, err := invoke(t, handler(c), string(serverlesstest.ScheduledEvent(t, at))); err == nil || !strings.Contains(err.Error(), "store unreachable") {
		t.Errorf("failed tick: err %v, want the ticker's", err)
	}

	noSchedule := &awslambda.Handler{Core: c, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if _, err := invoke(t, noSchedule, string(serverlesstest.ScheduledEvent(t, at))); err == nil {
		t.Error("a function without a ticker accepted a scheduled event")
	}
}

func TestUnknownPayloadFails(t *testing.T) {
	t.Parallel()
	c := &core{}
	for _, p := range []string{`{"Records":[{"eventSource":"aws:sqs"}]}`, `{"source":"aws.events","detail-type":"EC2 Instance State-change Notification"}`, `[]`} {
		if _, err := invoke(t, handler(c), p); err == nil {
			t.Errorf("payload %s: accepted", p)
		}
	}
	if len(c.batches) != 0 || c.ticks != 0 {
		t.Errorf("unknown payloads reached the core: %d batches, %d ticks", len(c.batches), c.ticks)
	}
}
