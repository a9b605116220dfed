module github.com/bluestream/bluestream/e2e

go 1.26.0
