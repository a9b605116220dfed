// Package kafkaio is where the analyzer's engine meets Kafka, for every
// adapter that feeds it (the service's consumer and the serverless
// functions), so they cannot drift apart: an input record becomes a
// reading or an erasure applied at its offset, or a poison record with its
// dead-letter reason; an alert event becomes the record published on the
// alerts topic; and the input counts as caught up only when every partition
// has been read to its last stable offset.
package kafkaio
