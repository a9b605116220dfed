// Command ble-ingest accepts BLE advertisements from gateways (IngestService),
// a local HCI controller, capture replay or a simulated fleet, and publishes
// each as an AdvertisementReceived event on ble.advertisements.v1.
package main

import (
	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/services/ble-ingest/service"
)

func main() { app.Main("ble-ingest", service.New()) }
