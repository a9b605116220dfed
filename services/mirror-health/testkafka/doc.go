// Package testkafka holds mirror-health's real-broker suite: tests built
// only with -tags kafka that run against two Apache Kafka clusters and
// MirrorMaker 2 started by run.sh in this folder. Without the tag, or without
// run.sh's environment, there is nothing to run.
package testkafka
