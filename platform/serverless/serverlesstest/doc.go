// Package serverlesstest helps test serverless targets as their platforms
// run them: the payloads the platforms deliver (Lambda Kafka and scheduled
// events, Azure Functions Kafka and timer invocations), a local server
// speaking the Lambda Runtime API to drive a built bootstrap (the AWS
// Runtime Interface Emulator cannot be installed here), and an embedded
// Kafka cluster to read a target's output back from.
package serverlesstest
