// Package awslambda adapts the serverless handler to the AWS Lambda Kafka
// event source (Amazon MSK and self-managed Apache Kafka): the event's
// base64 keys and values and signed-byte headers become kgo.Records, and
// poison records come back as batchItemFailures so the event source mapping
// retries them and then sends them to its on-failure destination.
package awslambda
