package forward

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

// HTTPClient returns the HTTP/2-only client a forwarder to endpoint uses:
// client streams need HTTP/2, so there is no HTTP/1.1 fallback that would
// fail later and more obscurely.
func HTTPClient(endpoint string, tlsConfig *tls.Config) (*http.Client, error) {
	u, err := ParseEndpoint(endpoint)
	if err != nil {
		return nil, err
	}
	var protocols http.Protocols
	t := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout: 10 * time.Second,
		// A gateway's uplink (NAT, cellular) can drop a connection without a
		// word; pings find out before the next stream hangs on it.
		HTTP2: &http.HTTP2Config{SendPingTimeout: 30 * time.Second, PingTimeout: 15 * time.Second},
	}
	if u.Scheme == "https" {
		protocols.SetHTTP2(true)
		if tlsConfig != nil {
			t.TLSClientConfig = tlsConfig.Clone()
		}
	} else {
		protocols.SetUnencryptedHTTP2(true)
	}
	t.Protocols = &protocols
	return &http.Client{Transport: t}, nil
}

// TLSConfig builds the TLS settings of an https endpoint: caFile (PEM) replaces
// the system roots when set; certFile and keyFile, set together, are the
// gateway's client certificate. The certificate is read again at each
// handshake, so one renewed on disk is used without a restart; it is read once
// here too, so a bad file fails at start rather than at the first connection.
func TLSConfig(caFile, certFile, keyFile string) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("reading CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("CA file %s: no PEM certificate", caFile)
		}
		cfg.RootCAs = pool
	}
	if (certFile == "") != (keyFile == "") {
		return nil, errors.New("client certificate: need both the certificate and the key file")
	}
	if certFile != "" {
		if _, err := tls.LoadX509KeyPair(certFile, keyFile); err != nil {
			return nil, fmt.Errorf("client certificate: %w", err)
		}
		cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			c, err := tls.LoadX509KeyPair(certFile, keyFile)
			if err != nil {
				return nil, fmt.Errorf("client certificate: %w", err)
			}
			return &c, nil
		}
	}
	return cfg, nil
}
