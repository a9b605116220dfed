package eventbus

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"strings"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"github.com/bluestream/bluestream/platform/config"
)

// Config is how a service reaches a Kafka cluster. Prefix distinguishes several
// clusters in one service ("" gives --kafka-brokers, "target-" gives
// --target-kafka-brokers).
type Config struct {
	Prefix        string
	Brokers       []string
	ClientID      string
	TLS           bool
	TLSCAFile     string
	TLSCertFile   string
	TLSKeyFile    string
	SASLMechanism string
	SASLUser      string
	SASLPassword  string
}

func (c *Config) flag(name string) string { return c.Prefix + "kafka-" + name }

// Register binds the settings to flags.
func (c *Config) Register(l *config.Loader, defaultBrokers ...string) {
	l.List(&c.Brokers, c.flag("brokers"), defaultBrokers, "Kafka bootstrap brokers, host:port,...")
	l.String(&c.ClientID, c.flag("client-id"), "bluestream", "Kafka client id")
	l.Bool(&c.TLS, c.flag("tls"), false, "connect with TLS")
	l.String(&c.TLSCAFile, c.flag("tls-ca-file"), "", "PEM CA bundle; system roots when empty")
	l.String(&c.TLSCertFile, c.flag("tls-cert-file"), "", "PEM client certificate for mutual TLS")
	l.String(&c.TLSKeyFile, c.flag("tls-key-file"), "", "PEM client key for mutual TLS")
	l.String(&c.SASLMechanism, c.flag("sasl-mechanism"), "", "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; none when empty")
	l.String(&c.SASLUser, c.flag("sasl-user"), "", "SASL user name")
	l.String(&c.SASLPassword, c.flag("sasl-password"), "", "SASL password")
}

// Validate implements config.Validator.
func (c Config) Validate() error {
	if len(c.Brokers) == 0 {
		return config.Invalid(c.flag("brokers"), "need at least one broker")
	}
	for _, b := range c.Brokers {
		if !strings.Contains(b, ":") {
			return config.Invalid(c.flag("brokers"), "broker %q lacks a port", b)
		}
	}
	switch strings.ToUpper(c.SASLMechanism) {
	case "":
	case "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512":
		if c.SASLUser == "" {
			return config.Invalid(c.flag("sasl-user"), "required with --%s=%s", c.flag("sasl-mechanism"), c.SASLMechanism)
		}
	default:
		return config.Invalid(c.flag("sasl-mechanism"), "unknown mechanism %q (want PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)", c.SASLMechanism)
	}
	if (c.TLSCertFile == "") != (c.TLSKeyFile == "") {
		return config.Invalid(c.flag("tls-cert-file"), "client certificate and key go together")
	}
	return nil
}

// Redacted is a copy safe to log.
func (c Config) Redacted() Config {
	if c.SASLPassword != "" {
		c.SASLPassword = "[redacted]"
	}
	return c
}

// Opts are the franz-go options for the cluster: seeds, TLS and SASL.
func (c Config) Opts() ([]kgo.Opt, error) {
	opts := []kgo.Opt{kgo.SeedBrokers(c.Brokers...), kgo.ClientID(c.ClientID)}
	if c.TLS {
		tc, err := c.tlsConfig()
		if err != nil {
			return nil, err
		}
		opts = append(opts, kgo.DialTLSConfig(tc))
	}
	if m := c.saslMechanism(); m != nil {
		opts = append(opts, kgo.SASL(m))
	}
	return opts, nil
}

func (c Config) tlsConfig() (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.TLSCAFile != "" {
		pem, err := os.ReadFile(c.TLSCAFile)
		if err != nil {
			return nil, fmt.Errorf("reading --%s: %w", c.flag("tls-ca-file"), err)
		}
		tc.RootCAs = x509.NewCertPool()
		if !tc.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--%s %s: no PEM certificates in it", c.flag("tls-ca-file"), c.TLSCAFile)
		}
	}
	if c.TLSCertFile != "" {
		cert, err := tls.LoadX509KeyPair(c.TLSCertFile, c.TLSKeyFile)
		if err != nil {
			return nil, fmt.Errorf("loading --%s and --%s: %w", c.flag("tls-cert-file"), c.flag("tls-key-file"), err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	return tc, nil
}

func (c Config) saslMechanism() sasl.Mechanism {
	switch strings.ToUpper(c.SASLMechanism) {
	case "PLAIN":
		return plain.Auth{User: c.SASLUser, Pass: c.SASLPassword}.AsMechanism()
	case "SCRAM-SHA-256":
		return scram.Auth{User: c.SASLUser, Pass: c.SASLPassword}.AsSha256Mechanism()
	case "SCRAM-SHA-512":
		return scram.Auth{User: c.SASLUser, Pass: c.SASLPassword}.AsSha512Mechanism()
	}
	return nil
}
