// Package azfunc runs a serverless.Core as an Azure Functions custom
// handler: an HTTP server on FUNCTIONS_CUSTOMHANDLER_PORT to which the
// Functions host POSTs each invocation at /<function name> in the custom
// handler request format, answered in the response format. Handler serves a
// Kafka trigger with cardinality MANY. With commitOnFailure false the Kafka
// extension commits offsets only after a successful answer, so the core
// dead-letters poison records itself: a failed answer would redeliver them
// forever. TimerHandler serves a timer trigger by ticking a
// serverless.Ticker.
package azfunc
