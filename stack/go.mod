module github.com/bluestream/bluestream/stack

go 1.26.0

require (
	github.com/bluestream/bluestream/gen v0.0.0
	github.com/bluestream/bluestream/platform v0.0.0
)

replace (
	github.com/bluestream/bluestream/gen => ../gen
	github.com/bluestream/bluestream/platform => ../platform
)
