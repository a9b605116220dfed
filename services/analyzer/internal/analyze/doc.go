// Package analyze is the analyzer's engine: it applies input records to the
// projections and the alert monitor, remembers which offsets it has applied,
// and commits state and offsets to a store.Store in one atomic batch. A
// restarted engine restores from the store and resumes at the stored
// offsets; records it has already applied are recognised and skipped, so a
// crash neither loses an event nor counts one twice.
//
// The engine knows nothing of Kafka or RPC. An adapter:
//
//  1. opens the engine on a store and seeks each partition to Offsets();
//  2. hands every record to ApplyReading or ApplyErasure with its offset,
//     sending records that fail with ErrInvalid to the dead-letter topic;
//  3. publishes the returned alert events, then calls Commit (every second
//     or so). Publishing before committing makes alert output
//     at-least-once; alert ids are stable, so consumers drop the repeats a
//     crash between the two causes;
//  4. calls Tick with the wall clock while the stream is idle and caught up.
//
// Timeouts fire at the low watermark (the oldest partition's newest event
// time), so one engine should consume every partition of the input topic.
package analyze
