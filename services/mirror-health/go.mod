module github.com/bluestream/bluestream/services/mirror-health

go 1.26.0
