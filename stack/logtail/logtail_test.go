package logtail_test

import (
	"strings"
	"testing"

	"github.com/bluestream/bluestream/stack/logtail"
)

func TestWritesBecomeLabelledLinesAndATail(t *testing.T) {
	t.Parallel()
	var log strings.Builder
	l := logtail.New("enricher", &log, 2)
	_, _ = l.Write([]byte("one\ntw"))
	_, _ = l.Write([]byte("o\nthree\nfour"))
	if got, want := log.String(), "enricher | one\nenricher | two\nenricher | three\n"; got != want {
		t.Errorf("log %q, want %q: a line is forwarded once it is complete", got, want)
	}
	l.Flush()
	if got := l.Tail(); got != "three\nfour" {
		t.Errorf("tail %q, want the last two lines", got)
	}
}

func TestNilLogKeepsOnlyTheTail(t *testing.T) {
	t.Parallel()
	l := logtail.New("x", nil, 3)
	l.Add("a")
	l.Add("b")
	if got := l.Tail(); got != "a\nb" {
		t.Errorf("tail %q", got)
	}
}
