// Package config reads a service's settings from flags and BLUESTREAM_*
// environment variables (twelve-factor): a flag given on the command line wins,
// then the environment, then the default. Errors name the flag and the variable.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// EnvPrefix starts every environment variable a service reads.
const EnvPrefix = "BLUESTREAM_"

// Loader binds settings to flags and their environment variables.
type Loader struct {
	fs     *flag.FlagSet
	lookup func(string) (string, bool)
}

// New returns a Loader for the named program reading the process environment.
func New(program string) *Loader {
	fs := flag.NewFlagSet(program, flag.ContinueOnError)
	return &Loader{fs: fs, lookup: os.LookupEnv}
}

// WithEnv replaces the environment lookup, for tests.
func (l *Loader) WithEnv(lookup func(string) (string, bool)) *Loader {
	l.lookup = lookup
	return l
}

// SetOutput sets where usage and parse errors are printed (default stderr).
func (l *Loader) SetOutput(w io.Writer) { l.fs.SetOutput(w) }

// EnvName is the environment variable for a flag: kafka-brokers → BLUESTREAM_KAFKA_BROKERS.
func EnvName(flagName string) string {
	return EnvPrefix + strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(flagName))
}

func (l *Loader) usage(name, usage string) string {
	return fmt.Sprintf("%s (env %s)", usage, EnvName(name))
}

// String binds a string setting.
func (l *Loader) String(p *string, name, def, usage string) {
	l.fs.StringVar(p, name, def, l.usage(name, usage))
}

// Int binds an integer setting.
func (l *Loader) Int(p *int, name string, def int, usage string) {
	l.fs.IntVar(p, name, def, l.usage(name, usage))
}

// Float binds a floating-point setting.
func (l *Loader) Float(p *float64, name string, def float64, usage string) {
	l.fs.Float64Var(p, name, def, l.usage(name, usage))
}

// Bool binds a boolean setting.
func (l *Loader) Bool(p *bool, name string, def bool, usage string) {
	l.fs.BoolVar(p, name, def, l.usage(name, usage))
}

// Duration binds a duration setting such as "250ms" or "5m".
func (l *Loader) Duration(p *time.Duration, name string, def time.Duration, usage string) {
	l.fs.DurationVar(p, name, def, l.usage(name, usage))
}

// List binds a comma-separated list setting.
func (l *Loader) List(p *[]string, name string, def []string, usage string) {
	*p = def
	l.fs.Func(name, l.usage(name, usage)+fmt.Sprintf(" (default %q)", strings.Join(def, ",")), func(s string) error {
		*p = SplitList(s)
		return nil
	})
}

// SplitList splits a comma-separated value, dropping blanks around items.
func SplitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// Parse reads the command line, then fills every flag not given there from its
// environment variable.
func (l *Loader) Parse(args []string) error {
	if err := l.fs.Parse(args); err != nil {
		return err
	}
	given := map[string]bool{}
	l.fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	l.fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] {
			return
		}
		env := EnvName(f.Name)
		v, ok := l.lookup(env)
		if !ok {
			return
		}
		if err := f.Value.Set(v); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q (flag --%s): %w", env, v, f.Name, err))
		}
	})
	return errors.Join(errs...)
}

// Args returns the arguments left after the flags.
func (l *Loader) Args() []string { return l.fs.Args() }

// Validator is a settings group that can check itself.
type Validator interface {
	Validate() error
}

// Validate checks every settings group and joins their errors, so a user sees all
// the bad settings at once.
func Validate(groups ...Validator) error {
	var errs []error
	for _, g := range groups {
		if err := g.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// FieldError names a setting that is wrong and why.
type FieldError struct {
	Flag   string
	Reason string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("--%s (%s): %s", e.Flag, EnvName(e.Flag), e.Reason)
}

// Invalid returns a FieldError for the flag.
func Invalid(flag, format string, args ...any) error {
	return &FieldError{Flag: flag, Reason: fmt.Sprintf(format, args...)}
}
