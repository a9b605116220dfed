package config_test

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/bluestream/bluestream/platform/config"
)

type settings struct {
	addr    string
	brokers []string
	timeout time.Duration
	workers int
}

func (s settings) Validate() error {
	if s.workers < 1 {
		return config.Invalid("workers", "must be at least 1, got %d", s.workers)
	}
	return nil
}

func load(t *testing.T, args []string, env map[string]string) (settings, error) {
	t.Helper()
	var s settings
	l := config.New("test").WithEnv(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	l.SetOutput(io.Discard)
	l.String(&s.addr, "listen-addr", ":8080", "address")
	l.List(&s.brokers, "kafka-brokers", []string{"localhost:9092"}, "brokers")
	l.Duration(&s.timeout, "timeout", time.Second, "timeout")
	l.Int(&s.workers, "workers", 1, "workers")
	err := l.Parse(args)
	return s, err
}

func TestPrecedence(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		args        []string
		env         map[string]string
		wantAddr    string
		wantBrokers []string
	}{
		{name: "defaults", wantAddr: ":8080", wantBrokers: []string{"localhost:9092"}},
		{name: "env_over_default", env: map[string]string{"BLUESTREAM_LISTEN_ADDR": ":9000", "BLUESTREAM_KAFKA_BROKERS": "a:1, b:2"}, wantAddr: ":9000", wantBrokers: []string{"a:1", "b:2"}},
		{name: "flag_over_env", args: []string{"--listen-addr", ":7000"}, env: map[string]string{"BLUESTREAM_LISTEN_ADDR": ":9000"}, wantAddr: ":7000", wantBrokers: []string{"localhost:9092"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := load(t, tt.args, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			if s.addr != tt.wantAddr || strings.Join(s.brokers, ",") != strings.Join(tt.wantBrokers, ",") {
				t.Errorf("got addr %q brokers %q, want %q %q", s.addr, s.brokers, tt.wantAddr, tt.wantBrokers)
			}
		})
	}
}

func TestBadEnvironmentValueNamesVariableAndFlag(t *testing.T) {
	t.Parallel()
	_, err := load(t, nil, map[string]string{"BLUESTREAM_TIMEOUT": "soon"})
	if err == nil {
		t.Fatal("want an error for an unparsable duration")
	}
	for _, want := range []string{"BLUESTREAM_TIMEOUT", "--timeout", `"soon"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}

func TestValidateNamesTheSetting(t *testing.T) {
	t.Parallel()
	s, err := load(t, []string{"--workers", "0"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = config.Validate(s)
	if err == nil || !strings.Contains(err.Error(), "--workers (BLUESTREAM_WORKERS): must be at least 1, got 0") {
		t.Fatalf("got %v, want the workers setting named", err)
	}
}
