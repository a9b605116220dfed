module github.com/bluestream/bluestream/services/ble-ingest

go 1.26.0
