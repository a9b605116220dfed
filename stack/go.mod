module github.com/bluestream/bluestream/stack

go 1.26.0
