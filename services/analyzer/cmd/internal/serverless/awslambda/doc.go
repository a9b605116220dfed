// Package awslambda adapts the analyzer's serverless handler to the AWS
// Lambda Kafka event source (Amazon MSK and self-managed Apache Kafka): the
// event's base64 keys and values and signed-byte headers become
// kgo.Records, and poison records come back as batchItemFailures on every
// delivery, so the event source mapping retries them and then parks them on
// its on-failure destination. Their offsets are consumed all the same: the
// rest of the batch is applied and committed.
package awslambda
