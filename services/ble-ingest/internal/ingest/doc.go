// Package ingest is ble-ingest's core, free of Kafka and RPC: it takes batches of
// advertisements from gateways and local sources, recognises retried batches by
// (gateway id, sequence) with bounded memory, bounds the advertisements and bytes
// in flight, and hands each new batch to a Publisher. A batch counts as accepted
// only once the Publisher returned without error, which for the Kafka adapter
// means the broker acknowledged every record; nothing is dropped silently.
package ingest
