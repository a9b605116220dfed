package decode

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/bluestream/bluestream/platform/shareddata"
	"github.com/bluestream/bluestream/services/transformer/internal/adstruct"
)

// The oracle compares this package with two other projects' test expectations,
// kept in ../shared/data/vectors (see SOURCE.md there). A vector is "covered"
// when it belongs to a format we claim, at least one of its values was compared,
// and every compared value agrees. A vector of a claimed format that we fail to
// decode, or that disagrees, fails the test.

type hciVector struct {
	Source   string         `json:"source"`
	HCIHex   string         `json:"hci_hex"`
	Expected map[string]any `json:"expected_sensor"`
	Tracker  map[string]any `json:"expected_tracker"`
}

type oracleTally struct {
	total, claimed, covered int
	perFormat               map[string]int
	uncovered               map[string]int // claimed but nothing comparable, by reason
}

func newTally() *oracleTally {
	return &oracleTally{perFormat: map[string]int{}, uncovered: map[string]int{}}
}

func readJSONL[T any](t *testing.T, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("opening vectors: %v", err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("parsing vector line %d: %v", len(out)+1, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading vectors: %v", err)
	}
	return out
}

func TestOracleBLEMonitorHCIVectors(t *testing.T) {
	vectors := readJSONL[hciVector](t, shareddata.Path(t, "vectors", "ble_monitor_hci_vectors.jsonl"))
	tally := newTally()
	var r Result
	for _, v := range vectors {
		tally.total++
		expected := v.Expected
		if len(expected) == 0 {
			expected = v.Tracker
		}
		firmware, _ := expected["firmware"].(string)
		if firmware == "" && expected["uuid"] != nil {
			firmware = "iBeacon"
		}
		claim, ok := claimedFirmware[firmware]
		if !ok {
			continue
		}
		tally.claimed++
		raw, err := hex.DecodeString(v.HCIHex)
		if err != nil {
			t.Fatalf("%s: bad hex: %v", v.Source, err)
		}
		rep, err := parseHCIReport(raw)
		if err != nil {
			t.Fatalf("%s: %v", v.Source, err)
		}
		Decode(rep.data, Options{Address: rep.addr, Keys: oracleKeys}, &r)
		if reason, gap := knownGaps[v.Source]; gap {
			tally.uncovered[reason]++
			continue
		}
		if !hasFormat(&r, claim.format) {
			t.Errorf("%s (%s): format %s not recognised; formats=%v problems=%v", v.Source, firmware, claim.format, r.Formats, r.Problems)
			continue
		}
		compared := compareExpected(t, v.Source, claim, expected, &r)
		if compared == 0 {
			tally.uncovered["nothing comparable"]++
			continue
		}
		tally.covered++
		tally.perFormat[string(claim.format)]++
	}
	report(t, "ble_monitor HCI", tally)
}

func hasFormat(r *Result, f Format) bool {
	for _, g := range r.Formats {
		if g == f {
			return true
		}
	}
	return false
}

// compareExpected checks every expected key and returns how many values were
// compared. Keys the peer derives rather than reads from the payload, and
// metadata keys, are skipped as listed in skippedKeys.
func compareExpected(t *testing.T, source string, claim firmwareClaim, expected map[string]any, r *Result) int {
	t.Helper()
	compared := 0
	for key, want := range expected {
		if skippedKeys[key] || claim.skip[key] || peerDisagreements[source][key] {
			continue
		}
		m, ok := keyMeasurements[key]
		if !ok {
			if _, isID := identityKeys[key]; isID {
				if checkIdentity(t, source, key, want, r) {
					compared++
				}
				continue
			}
			t.Errorf("%s: expected key %q has no mapping in the oracle", source, key)
			continue
		}
		wantF, ok := asFloat(want)
		if !ok {
			continue // e.g. a string state such as "single press"
		}
		wantF = m.convert(wantF)
		got, ok := findLastMeasurement(r, m.quantities)
		if m.channel != 0 {
			got, ok = findMeasurement(r, m.quantities, m.channel)
		}
		if !ok {
			t.Errorf("%s: %s: no %v measurement; got %v problems %v", source, key, m.quantities, r.Measurements, r.Problems)
			continue
		}
		if !closeEnough(got.Value, wantF) {
			t.Errorf("%s: %s = %v %s, peer says %v", source, key, got.Value, got.Unit, wantF)
			continue
		}
		compared++
	}
	return compared
}

// findLastMeasurement returns the last measurement of the first quantity found:
// ble_monitor keeps one value per key, so when a BTHome payload repeats an
// object the later one overwrites the earlier (we report both, as channels).
func findLastMeasurement(r *Result, qs []Quantity) (Measurement, bool) {
	for _, q := range qs {
		for i := len(r.Measurements) - 1; i >= 0; i-- {
			if r.Measurements[i].Quantity == q {
				return r.Measurements[i], true
			}
		}
	}
	return Measurement{}, false
}

func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// closeEnough allows for the peers' own float rounding (they round to 2 or 3
// decimals in places where the format has more).
func closeEnough(got, want float64) bool {
	return math.Abs(got-want) <= 0.011+1e-6*math.Abs(want)
}

func checkIdentity(t *testing.T, source, key string, want any, r *Result) bool {
	t.Helper()
	if len(r.Identities) == 0 {
		t.Errorf("%s: %s expected but no identity decoded", source, key)
		return false
	}
	id := r.Identities[0]
	var got any
	switch key {
	case "uuid":
		got = hex.EncodeToString(id.UUID[:])
	case "major":
		got = float64(id.Major)
	case "minor":
		got = float64(id.Minor)
	case "measured power":
		got = float64(id.MeasuredPower)
	}
	if got != want {
		t.Errorf("%s: %s = %v, peer says %v", source, key, got, want)
		return false
	}
	return true
}

func report(t *testing.T, name string, tally *oracleTally) {
	t.Helper()
	formats := make([]string, 0, len(tally.perFormat))
	for f, n := range tally.perFormat {
		formats = append(formats, f+"="+itoa(n))
	}
	sort.Strings(formats)
	t.Logf("%s: per format covered: %s", name, strings.Join(formats, " "))
	for reason, n := range tally.uncovered {
		t.Logf("%s: claimed but not covered (%s): %d", name, reason, n)
	}
	t.Logf("ORACLE %s: covered %d of %d vectors (%d in formats we decode)", name, tally.covered, tally.total, tally.claimed)
	if tally.covered == 0 {
		t.Errorf("%s: no vector covered", name)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// oracleAddr parses "5448E68F80A5" into an address.
func oracleAddr(s string) adstruct.Address {
	var a adstruct.Address
	b, _ := hex.DecodeString(s)
	copy(a[:], b)
	return a
}
