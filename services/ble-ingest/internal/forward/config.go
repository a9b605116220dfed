package forward

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"connectrpc.com/connect"
	"go.opentelemetry.io/otel/metric"

	"github.com/bluestream/bluestream/services/ble-ingest/internal/ingest"
)

// Config says where batches go and how much may wait for the remote. Zero
// fields take the defaults stated.
type Config struct {
	// Endpoint is the remote IngestService's base URL: http:// speaks
	// cleartext HTTP/2 (h2c), https:// HTTP/2 over TLS.
	Endpoint string
	// TLS is used for https endpoints; nil trusts the system's roots.
	TLS *tls.Config
	// HTTPClient replaces the client built from Endpoint and TLS.
	HTTPClient connect.HTTPClient
	// ClientOptions are added to the Connect client, e.g. tracing.
	ClientOptions []connect.ClientOption

	// MaxBuffered caps the advertisements held until the remote acknowledged
	// them; default 100000. When it is reached, Ingest refuses new batches
	// with ingest.ErrOverloaded and the source waits.
	MaxBuffered int
	// RoundBatches is the most batches sent on one stream before its reply
	// acknowledges them; default 32, at most ingest.RetryWindow, because a
	// failed stream is resent whole and the remote recognises only that many
	// of a gateway's latest batches.
	RoundBatches int
	// RoundTimeout bounds one stream; default 30s.
	RoundTimeout time.Duration
	// MinBackoff and MaxBackoff bound the wait after a failed stream, which
	// doubles from the first to the second; defaults 200ms and 30s.
	MinBackoff, MaxBackoff time.Duration
	// DrainTimeout is how long Run keeps sending after its context ended;
	// default 10s.
	DrainTimeout time.Duration

	// Now starts each gateway's sequence numbers; default time.Now.
	Now    func() time.Time
	Logger *slog.Logger
	// Meter records the forwarder's metrics; default none.
	Meter metric.Meter
}

func (c Config) withDefaults() Config {
	if c.MaxBuffered == 0 {
		c.MaxBuffered = 100 * ingest.MaxBatch
	}
	if c.RoundBatches == 0 {
		c.RoundBatches = 32
	}
	if c.RoundTimeout == 0 {
		c.RoundTimeout = 30 * time.Second
	}
	if c.MinBackoff == 0 {
		c.MinBackoff = 200 * time.Millisecond
	}
	if c.MaxBackoff == 0 {
		c.MaxBackoff = 30 * time.Second
	}
	if c.DrainTimeout == 0 {
		c.DrainTimeout = 10 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// Validate names the first setting that cannot work.
func (c Config) Validate() error {
	if _, err := ParseEndpoint(c.Endpoint); err != nil {
		return err
	}
	c = c.withDefaults()
	switch {
	case c.MaxBuffered < ingest.MaxBatch:
		return fmt.Errorf("max buffered: %d cannot hold one full batch of %d", c.MaxBuffered, ingest.MaxBatch)
	case c.RoundBatches < 1 || c.RoundBatches > ingest.RetryWindow:
		return fmt.Errorf("round batches: want 1 to %d, got %d", ingest.RetryWindow, c.RoundBatches)
	case c.RoundTimeout < 0, c.MinBackoff < 0, c.DrainTimeout < 0:
		return errors.New("timeouts and backoffs must be positive")
	case c.MaxBackoff < c.MinBackoff:
		return fmt.Errorf("max backoff %v is below min backoff %v", c.MaxBackoff, c.MinBackoff)
	}
	return nil
}

// ParseEndpoint checks an IngestService base URL.
func ParseEndpoint(endpoint string) (*url.URL, error) {
	u, err := url.Parse(endpoint)
	switch {
	case err != nil:
		return nil, fmt.Errorf("endpoint %q: %w", endpoint, err)
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("endpoint %q: want an http:// (h2c) or https:// URL", endpoint)
	case u.Host == "":
		return nil, fmt.Errorf("endpoint %q: no host", endpoint)
	case u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return nil, fmt.Errorf("endpoint %q: want scheme, host and at most a path", endpoint)
	}
	return u, nil
}
