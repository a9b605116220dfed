package pipelinemetricstest

import (
	"fmt"
	"strconv"
	"strings"
)

// parseSample splits one sample line, name{labels} value, of the text
// exposition format.
func parseSample(line string) (name string, labels map[string]string, value float64, err error) {
	labels = map[string]string{}
	i := strings.IndexAny(line, "{ ")
	if i < 0 {
		return "", nil, 0, fmt.Errorf("no value")
	}
	name, rest := line[:i], line[i:]
	if rest[0] == '{' {
		if rest, err = parseLabels(rest[1:], labels); err != nil {
			return "", nil, 0, err
		}
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return "", nil, 0, fmt.Errorf("no value")
	}
	value, err = strconv.ParseFloat(fields[0], 64)
	return name, labels, value, err
}

// parseLabels reads name="value" pairs up to the closing brace, undoing the
// format's escapes, and returns what follows the brace.
func parseLabels(s string, into map[string]string) (string, error) {
	for {
		s = strings.TrimLeft(s, ", ")
		if rest, ok := strings.CutPrefix(s, "}"); ok {
			return rest, nil
		}
		key, rest, ok := strings.Cut(s, `="`)
		if !ok {
			return "", fmt.Errorf("label without a quoted value: %q", s)
		}
		var val strings.Builder
		for i := 0; ; i++ {
			if i >= len(rest) {
				return "", fmt.Errorf("unterminated value of label %s", key)
			}
			c := rest[i]
			if c == '"' {
				s = rest[i+1:]
				break
			}
			if c == '\\' && i+1 < len(rest) {
				i++
				c = map[byte]byte{'n': '\n', '\\': '\\', '"': '"'}[rest[i]]
			}
			val.WriteByte(c)
		}
		into[key] = val.String()
	}
}
