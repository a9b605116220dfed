module github.com/bluestream/bluestream/services/enricher

go 1.26.0
