// Package enriched defines the analyzer's input as plain domain types:
// pseudonymised, privacy-tagged readings and erasure requests. Adapters map
// the wire format (Protobuf on Kafka) to these types, so the analysis core
// never sees a transport.
package enriched
