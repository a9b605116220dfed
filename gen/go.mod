module github.com/bluestream/bluestream/gen

go 1.26.0
