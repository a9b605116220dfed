package forward

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"time"

	"connectrpc.com/connect"
	"connectrpc.com/otelconnect"

	"github.com/bluestream/bluestream/platform/config"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/ingest"
)

// Settings are the flags of a process that forwards: ble-ingest as a gateway
// and bluestream-simulator.
type Settings struct {
	Endpoint     string
	CAFile       string
	CertFile     string
	KeyFile      string
	MaxBuffered  int
	DrainTimeout time.Duration

	tls *tls.Config
}

// Register binds the settings; endpointUsage describes --ingest-endpoint.
func (s *Settings) Register(l *config.Loader, endpointUsage string) {
	l.String(&s.Endpoint, "ingest-endpoint", "", endpointUsage)
	l.String(&s.CAFile, "ingest-tls-ca", "", "PEM roots that verify an https --ingest-endpoint; default the system's")
	l.String(&s.CertFile, "ingest-tls-cert", "", "PEM client certificate presented to an https --ingest-endpoint (with --ingest-tls-key); reread at each connection")
	l.String(&s.KeyFile, "ingest-tls-key", "", "PEM private key of --ingest-tls-cert")
	l.Int(&s.MaxBuffered, "ingest-buffer", 100*ingest.MaxBatch, "advertisements held until --ingest-endpoint acknowledged them; when full, simulation and replay pause and HCI drops the newest reports")
	l.Duration(&s.DrainTimeout, "ingest-drain-timeout", 10*time.Second, "on shutdown, how long to go on sending what is buffered for --ingest-endpoint")
}

// Validate checks the settings of a process that forwards, naming the flags,
// and loads the TLS files.
func (s *Settings) Validate() error {
	var errs []error
	if _, err := ParseEndpoint(s.Endpoint); err != nil {
		errs = append(errs, config.Invalid("ingest-endpoint", "%v", err))
	}
	if s.MaxBuffered < ingest.MaxBatch {
		errs = append(errs, config.Invalid("ingest-buffer", "need room for one full batch of %d, got %d", ingest.MaxBatch, s.MaxBuffered))
	}
	if s.DrainTimeout <= 0 {
		errs = append(errs, config.Invalid("ingest-drain-timeout", "must be positive, got %v", s.DrainTimeout))
	}
	cfg, err := TLSConfig(s.CAFile, s.CertFile, s.KeyFile)
	if err != nil {
		errs = append(errs, config.Invalid("ingest-tls-cert", "%v", err))
	}
	s.tls = cfg
	return errors.Join(errs...)
}

// Config is the forwarder these settings describe, traced and measured by
// tel, logging through tel's logger.
func (s *Settings) Config(tel *telemetry.Telemetry) (Config, error) {
	tracing, err := otelconnect.NewInterceptor(
		otelconnect.WithTracerProvider(tel.TracerProvider),
		otelconnect.WithMeterProvider(tel.MeterProvider),
		otelconnect.WithPropagator(tel.Propagator),
	)
	if err != nil {
		return Config{}, fmt.Errorf("creating otel interceptor: %w", err)
	}
	return Config{
		Endpoint:      s.Endpoint,
		TLS:           s.tls,
		ClientOptions: []connect.ClientOption{connect.WithInterceptors(tracing)},
		MaxBuffered:   s.MaxBuffered,
		DrainTimeout:  s.DrainTimeout,
		Logger:        tel.Logger,
		Meter:         tel.Meter("github.com/bluestream/bluestream/services/ble-ingest/forward"),
	}, nil
}

// Identity names a forwarding process that was given no gateway id: every
// gateway needs its own, because the remote tells retries apart by gateway
// and sequence. The client certificate enrolment issued names the gateway the
// remote authenticates; without one, the host name is the next best thing.
func (s *Settings) Identity() (string, error) {
	if s.CertFile != "" {
		pemBytes, err := os.ReadFile(s.CertFile)
		if err != nil {
			return "", err
		}
		if block, _ := pem.Decode(pemBytes); block != nil {
			if c, err := x509.ParseCertificate(block.Bytes); err == nil && c.Subject.CommonName != "" {
				return c.Subject.CommonName, nil
			}
		}
	}
	host, err := os.Hostname()
	if err != nil || host == "" {
		return "", fmt.Errorf("the host name is unknown (%v)", err)
	}
	return host, nil
}
