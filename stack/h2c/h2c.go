// Package h2c gives the HTTP client the stack and its tests use to reach the
// services: cleartext HTTP/2, which gRPC needs and Connect is happy with.
package h2c

import "net/http"

// Client returns an HTTP client that speaks HTTP/2 without TLS.
func Client() *http.Client {
	var p http.Protocols
	p.SetUnencryptedHTTP2(true)
	return &http.Client{Transport: &http.Transport{Protocols: &p}}
}
