module github.com/bluestream/bluestream/deploy

go 1.26.0
