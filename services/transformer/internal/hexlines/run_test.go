package hexlines

import (
	"bufio"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/services/transformer/internal/pipeline"
)

var fixed = func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }

func TestRunDecodesLinesAndReportsBadOnes(t *testing.T) {
	t.Parallel()
	in := strings.Join([]string{
		"# BTHome v2 format example (bthome.io/format)",
		"0201060a16d2fc4002ca0903bf13",
		"",
		"c1:02:03:04:05:06,-67,0201061aff4c000215e2c56db5dffb48d2b060d0f5a71096e000640001c5",
		"zz01",
		"c1:02:03,-67,020106",
		"c1:02:03:04:05:06,loud,020106",
		"0x0201060303aafe",
		"a,b",
		strings.Repeat("00", 1651),
	}, "\n")
	var out strings.Builder
	st, err := Run(t.Context(), strings.NewReader(in), &out, &pipeline.Decoder{}, fixed)
	if err != nil {
		t.Fatal(err)
	}
	if st != (Stats{Lines: 10, Readings: 3, Errors: 5}) {
		t.Errorf("stats %+v", st)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 8 {
		t.Fatalf("%d output lines, want 8:\n%s", len(lines), out.String())
	}
	var first blev1.ReadingDecoded
	if err := protojson.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatalf("line 1 is not a reading: %v", err)
	}
	if m := first.GetDecoded().GetMeasurements(); len(m) != 2 || m[0].GetValue() != 25.06 {
		t.Errorf("measurements %v", m)
	}
	var second blev1.ReadingDecoded
	if err := protojson.Unmarshal([]byte(lines[1]), &second); err != nil {
		t.Fatal(err)
	}
	if a := second.GetReceived().GetAdvertisement(); a.GetRssi() != -67 || len(a.GetAddress()) != 6 || second.GetDecoded().GetIdentities()[0].GetIbeacon().GetMajor() != 100 {
		t.Errorf("address,rssi,hex line gave %v", &second)
	}
	wantErrors := []struct {
		line  int
		field string
	}{{5, "payload: not hex"}, {6, "address:"}, {7, "rssi:"}, {9, "comma-separated fields"}, {10, "payload: 1651 bytes"}}
	errLines := []string{lines[2], lines[3], lines[4], lines[6], lines[7]}
	for i, want := range wantErrors {
		var e errorLine
		if err := json.Unmarshal([]byte(errLines[i]), &e); err != nil {
			t.Fatalf("error line %q: %v", errLines[i], err)
		}
		if e.Line != want.line || !strings.Contains(e.Error, want.field) {
			t.Errorf("error line %+v, want line %d naming %q", e, want.line, want.field)
		}
	}
}

// TestRunOutputIsStable: the same input gives byte-identical output, so runs
// can be compared with diff.
func TestRunOutputIsStable(t *testing.T) {
	t.Parallel()
	const in = "0201061bff99040512fc5394c37c0004fffc040cac364200cdcbb8334c884f\n"
	var a, b strings.Builder
	if _, err := Run(t.Context(), strings.NewReader(in), &a, &pipeline.Decoder{}, fixed); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(t.Context(), strings.NewReader(in), &b, &pipeline.Decoder{}, fixed); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() || strings.Contains(a.String(), ": ") {
		t.Errorf("outputs differ or are not compact:\n%s%s", a.String(), b.String())
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestRunStopsOnWriteFailure(t *testing.T) {
	t.Parallel()
	in := strings.Repeat("020106\n", 10000) // more than the writer buffers
	_, err := Run(t.Context(), strings.NewReader(in), failingWriter{}, &pipeline.Decoder{}, fixed)
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("got %v, want the write error", err)
	}
}

func TestRunReportsOverlongLine(t *testing.T) {
	t.Parallel()
	in := strings.Repeat("0", bufio.MaxScanTokenSize*20)
	_, err := Run(t.Context(), strings.NewReader(in), &strings.Builder{}, &pipeline.Decoder{}, fixed)
	if err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("got %v, want an error naming line 1", err)
	}
}
