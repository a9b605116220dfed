// Package serverless is what the serverless targets of the transformer and
// the analyzer share: the contract between a service's core (what a batch of
// kgo.Records becomes) and the platform adapters that drive it (awslambda for
// the Lambda Kafka event source and EventBridge schedules, azfunc for Azure
// Functions custom handlers with Kafka and timer triggers). An adapter only
// translates its platform's wire format into records and the core's result
// back, so one core gives the same outputs on every target.
package serverless
