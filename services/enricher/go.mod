module github.com/bluestream/bluestream/services/enricher

go 1.26.0

require (
	github.com/bluestream/bluestream/gen v0.0.0
	github.com/bluestream/bluestream/platform v0.0.0
)

require (
	github.com/google/go-cmp v0.7.0 // indirect
	google.golang.org/protobuf v1.36.12 // indirect
)

replace (
	github.com/bluestream/bluestream/gen => ../../gen
	github.com/bluestream/bluestream/platform => ../../platform
)
