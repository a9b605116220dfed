package adstruct

import "strconv"

// Problem describes one part of a payload that could not be understood. Reasons are
// constant strings so that reporting a problem allocates nothing; Offset and
// Source say where it happened.
type Problem struct {
	Source string // what was being parsed, e.g. "ad structure" or a format name
	Offset int    // byte offset in the payload, -1 when unknown
	ADType Type   // type of the AD structure the problem is in; 0 when unknown
	Reason string
}

// String renders the problem for logs and error messages.
func (p Problem) String() string {
	if p.Offset < 0 {
		return p.Source + ": " + p.Reason
	}
	return p.Source + " at byte " + strconv.Itoa(p.Offset) + ": " + p.Reason
}
