// Package k8stest renders the kustomize overlays in deploy/k8s and checks the
// rules every bluestream deployment must keep: probes, limits, a
// PodDisruptionBudget, a NetworkPolicy and an analysed canary Rollout per
// service, and nothing that names a region outside Germany. It also checks
// that every bluestream_ series the canary analyses query is one the
// platform's pipeline metrics define (platform/pipelinemetrics/promname).
package k8stest
