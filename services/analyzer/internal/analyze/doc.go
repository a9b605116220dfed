// Package analyze is the analyzer's engine: it applies input records to the
// projections and the alert monitor, remembers which offsets it has applied,
// and commits state and offsets to a store.Store in one atomic batch. A
// restarted engine restores from the store and resumes at the stored
// offsets; records it has already applied are recognised and skipped, so a
// crash neither loses an event nor counts one twice.
//
// The engine knows nothing of Kafka or RPC: adapters feed it records with
// their partition offsets and publish the alert events it returns.
package analyze
