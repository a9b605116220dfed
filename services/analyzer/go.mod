module github.com/bluestream/bluestream/services/analyzer

go 1.26.0
