module github.com/bluestream/bluestream/services/analyzer

go 1.26.0

require (
	github.com/bluestream/bluestream/gen v0.0.0
	github.com/bluestream/bluestream/platform v0.0.0
	go.etcd.io/bbolt v1.4.3
)

require golang.org/x/sys v0.48.0 // indirect

replace (
	github.com/bluestream/bluestream/gen => ../../gen
	github.com/bluestream/bluestream/platform => ../../platform
)
