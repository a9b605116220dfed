package k8stest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func analysisTemplates(t *testing.T) []Object {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "k8s", "base", "analysis", "analysistemplates.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	objs, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// TestCanaryQueriesOnlyMetricsThePlatformDefines: every bluestream_ series
// the canary analyses query is one the services' pipeline metrics produce
// (pipelinemetrics' tests check the exporter against the same names), so a
// renamed metric fails here instead of leaving a canary check that always
// passes on no data.
func TestCanaryQueriesOnlyMetricsThePlatformDefines(t *testing.T) {
	t.Parallel()
	names, err := ReadPromNames(PromNamesFile)
	if err != nil {
		t.Fatal(err)
	}
	objs := analysisTemplates(t)
	queried := QueriedSeries(objs)
	if len(queried) == 0 {
		t.Fatal("no AnalysisTemplate queries a bluestream_ series: the check would prove nothing")
	}
	for _, e := range CheckQueriedSeries(objs, names) {
		t.Error(e)
	}
	t.Logf("queried: %v; defined: %+v", queried, names)
}

func TestCheckQueriedSeriesCatchesUnknownNames(t *testing.T) {
	t.Parallel()
	names := PromNames{Counters: []string{"bluestream_x_total"}, Histograms: []string{"bluestream_lat_seconds"}}
	tmpl := func(query string) Object {
		return Object{"kind": "AnalysisTemplate", "metadata": map[string]any{"name": "t"},
			"spec": map[string]any{"metrics": []any{map[string]any{
				"provider": map[string]any{"prometheus": map[string]any{"query": query}}}}}}
	}
	ok := tmpl(`sum(rate(bluestream_x_total[2m])) / histogram_quantile(0.9, rate(bluestream_lat_seconds_bucket[5m])) + rpc_server_duration_milliseconds_count`)
	if errs := CheckQueriedSeries([]Object{ok}, names); len(errs) != 0 {
		t.Errorf("defined names reported: %v", errs)
	}
	for _, bad := range []string{
		`sum(rate(bluestream_x[2m]))`,                  // the counter without _total
		`rate(bluestream_lat_seconds_total[5m])`,       // not a histogram series
		`sum(rate(bluestream_x_total_bucket[5m]))`,     // a counter has no buckets
		`rate(bluestream_lat_milliseconds_bucket[5m])`, // renamed unit
	} {
		errs := CheckQueriedSeries([]Object{tmpl(bad)}, names)
		if len(errs) != 1 || !strings.Contains(errs[0], "AnalysisTemplate/t queries bluestream_") {
			t.Errorf("query %q: errors %v, want one naming the unknown series", bad, errs)
		}
	}
}

func TestReadPromNamesReadsTypedConstants(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(src string) string {
		p := filepath.Join(dir, "p.go")
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	got, err := ReadPromNames(write("package p\ntype Counter string\ntype Histogram string\n" +
		"const (\n\tA Counter = \"a_total\"\n\tB, C Counter = \"b_total\", `c_total`\n\tH Histogram = \"h_seconds\"\n\tOther = \"not a metric\"\n)\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Counters, []string{"a_total", "b_total", "c_total"}) || !slices.Equal(got.Histograms, []string{"h_seconds"}) {
		t.Errorf("ReadPromNames = %+v", got)
	}
	if _, err := ReadPromNames(write("package p\ntype Counter string\nconst prefix = \"x\"\nconst A Counter = prefix + \"_total\"\n")); err == nil {
		t.Error("a Counter that is not a string literal was accepted")
	}
	if _, err := ReadPromNames(write("package p\n")); err == nil {
		t.Error("a file without names was accepted")
	}
}
