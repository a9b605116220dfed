package ingest

// window remembers which of a gateway's most recent sequences were published:
// the highest one and up to windowSize below it, in fixed memory. Sequences
// arrive mostly in order; the window absorbs retries and the reordering of
// concurrent unary calls.
const windowSize = 64

// RetryWindow is how far behind its newest batch a gateway may resend and still
// be recognised: a resend older than that is published again.
const RetryWindow = windowSize

type window struct {
	highest uint64
	slots   [windowSize]uint64
	valid   uint64 // bit i set: slots[i] holds a published sequence
}

// contains reports whether seq is known to be published.
func (w *window) contains(seq uint64) bool {
	i := seq % windowSize
	return w.valid&(1<<i) != 0 && w.slots[i] == seq && w.inRange(seq)
}

func (w *window) inRange(seq uint64) bool {
	return seq <= w.highest && w.highest-seq < windowSize
}

// add records seq as published. A sequence far below the window is taken as a
// gateway that restarted its numbering: the window starts over from it, so the
// restarted gateway's retries are recognised again.
func (w *window) add(seq uint64) {
	if w.valid != 0 && seq < w.highest && !w.inRange(seq) {
		*w = window{}
	}
	if w.valid == 0 || seq > w.highest {
		w.highest = seq
	}
	// A slot still holding a sequence that left the range is simply
	// overwritten: contains checks the range, so stale slots never match.
	i := seq % windowSize
	w.slots[i], w.valid = seq, w.valid|1<<i
}
