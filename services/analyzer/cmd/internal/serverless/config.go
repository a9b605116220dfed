package serverless

import (
	"github.com/bluestream/bluestream/platform/config"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/services/analyzer/internal/settings"
)

// Config is a function's settings. Serverless platforms pass settings as
// environment variables only: these are the BLUESTREAM_* variables of the
// service's flags of the same name, plus BLUESTREAM_STORE_DSN.
type Config struct {
	Kafka eventbus.Config
	// StoreDSN names the PostgreSQL database of the projections and
	// offsets (a URL or key=value string).
	StoreDSN string
	// Analyzer holds the topics and engine settings the service has too;
	// its Engine is the engine configuration they give.
	settings.Analyzer
}

// Load reads Config from the environment (lookup: os.LookupEnv in a
// function) and validates it.
func Load(program string, lookup func(string) (string, bool)) (Config, error) {
	var c Config
	l := config.New(program).WithEnv(lookup)
	c.Kafka.Register(l)
	l.String(&c.StoreDSN, "store-dsn", "", "PostgreSQL database of the projections and offsets (URL or key=value)")
	c.Analyzer.Register(l)
	if err := l.Parse(nil); err != nil {
		return Config{}, err
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Validate names the first setting that cannot work.
func (c Config) Validate() error {
	if err := config.Validate(c.Kafka); err != nil {
		return err
	}
	if c.StoreDSN == "" {
		return config.Invalid("store-dsn", "must not be empty: a function instance keeps no state, the projections live in PostgreSQL")
	}
	return c.Analyzer.Validate()
}
