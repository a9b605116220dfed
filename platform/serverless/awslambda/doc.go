// Package awslambda runs a serverless.Core as an AWS Lambda function on the
// provided.al2023 runtime. One bootstrap serves two kinds of invocation: the
// Kafka event source (Amazon MSK and self-managed Apache Kafka), whose
// base64 keys and values and signed-byte headers become kgo.Records and
// whose poison records go back as batchItemFailures, so the event source
// mapping retries them and then parks them on its on-failure destination;
// and EventBridge schedules, which tick a serverless.Ticker.
package awslambda
