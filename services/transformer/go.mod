module github.com/bluestream/bluestream/services/transformer

go 1.26.0
