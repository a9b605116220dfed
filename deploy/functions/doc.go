// Package functions checks the serverless descriptors offline: the SAM
// template in deploy/aws and the Azure Functions apps in deploy/azure, so a
// trigger the handlers rely on (a batch-failure report, commitOnFailure
// false, the analyzer's schedule) cannot go missing unnoticed.
package functions
