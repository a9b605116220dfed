module github.com/bluestream/bluestream/platform

go 1.26.0
