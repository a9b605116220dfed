// Package server implements IngestService's Connect handlers (which also serve
// gRPC and gRPC-Web) over the ingest core: it maps requests to domain batches,
// answers only after Kafka acknowledged a batch, and turns the core's errors
// into RPC codes at this edge.
package server
