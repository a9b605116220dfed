// Command analyzer keeps live projections of the mirrored enriched topic
// (devices, presence, zone occupancy, alerts), publishes alerts on
// analyzer.alerts.v1, and serves AnalyzerService and a dashboard at /.
//
//	analyzer --kafka-brokers=localhost:9092 --store-dir=/var/lib/analyzer
//	analyzer --rebuild ...   start from an empty store and replay the topic
package main

import (
	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/services/analyzer/service"
)

func main() { app.Main("analyzer", service.New()) }
