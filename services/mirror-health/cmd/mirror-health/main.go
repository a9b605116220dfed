// Command mirror-health watches cross-cluster replication (MirrorMaker 2 or
// the built-in mirror) and reports it over RPC, on /metrics and as events on
// mirror.health.v1. With --mirror it also runs the built-in mirror.
package main

import (
	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/services/mirror-health/service"
)

func main() { app.Main("mirror-health", service.New()) }
