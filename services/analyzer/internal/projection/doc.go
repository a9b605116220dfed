// Package projection folds enriched readings into the analyzer's live view:
// the state of every device, its presence sessions and zone visits, and zone
// occupancy over sliding windows. Everything is driven by event time; Tick
// advances time when no readings arrive, so a rebuild from the log reaches
// the same state as the live run.
//
// Employee devices without a works-council agreement ("restricted") are
// tracked, because they count in aggregates, but they are never returned
// individually and count in an aggregate only when at least K of them do.
package projection
