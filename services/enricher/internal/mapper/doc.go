// Package mapper translates between the Protobuf contracts and the enricher's
// domain types: RPC requests to registry commands, registry events to and from
// RegistryEvent (sealing personal fields under the data subject's key), decoded
// readings to enrich.Reading, and enrichment results to ReadingEnriched and
// SubjectErased. Errors name the contract field that is wrong.
package mapper
