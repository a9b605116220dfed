// Command bluestream runs the whole system on one machine (`make run`): two
// embedded Kafka clusters on loopback, keeping their logs in a data directory,
// every service as a child process (--mode process) or all of them inside this
// one (--mode inprocess), the built-in mirror and a simulated fleet.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/bluestream/bluestream/platform/config"
	"github.com/bluestream/bluestream/stack"
	"github.com/bluestream/bluestream/stack/banner"
)

func main() {
	if err := run(); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return // the usage was printed: asking for it is no failure
		}
		slog.Error("exiting", "err", err)
		os.Exit(1)
	}
}

func run() (err error) {
	cfg, logFile, err := load(os.Args[1:])
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if logFile != "" {
		f, err := os.OpenFile(logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		cfg.Log = f
	}
	if cfg.Mode == stack.ModeProcess {
		fmt.Println("building and starting the services...")
	} else {
		fmt.Println("starting the services...")
	}
	s, err := stack.Start(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() {
		fmt.Println("stopping...")
		err = errors.Join(err, s.Close())
	}()
	info := s.Banner()
	info.Logs = logFile
	if err := banner.Write(os.Stdout, info); err != nil {
		return err
	}
	select {
	case <-ctx.Done():
		return nil
	case e := <-s.Exited():
		return fmt.Errorf("%s stopped unexpectedly: %v\n%s", e.Name, e.Err, e.Tail)
	}
}

func load(args []string) (stack.Config, string, error) {
	var cfg stack.Config
	var partitions int
	var logFile string
	l := config.New("bluestream")
	l.String(&cfg.Mode, "mode", stack.ModeProcess, `"process": each service a child process of its own binary, built first; "inprocess": all services in this process, nothing to build, one process to debug or profile`)
	l.String(&cfg.Clusters.DataDir, "data-dir", "data", "where the clusters keep their logs and the enricher its keys; empty keeps the logs in memory")
	l.Int(&cfg.Clusters.PrimaryPort, "primary-port", 19092, "port of the primary (azure) cluster; 0 picks one")
	l.Int(&cfg.Clusters.MirrorPort, "mirror-port", 29092, "port of the mirror (aws) cluster; 0 picks one")
	l.Int(&partitions, "partitions", 3, "partitions per topic")
	l.Int(&cfg.BasePort, "base-port", 8081, "ble-ingest's port; transformer, enricher, mirror-health and analyzer take the next four; 0 picks free ports")
	l.Bool(&cfg.Simulate, "simulate", true, "run ble-ingest's simulated office fleet")
	l.Int(&cfg.Fleet, "fleet", 40, "simulated devices")
	l.Int(&cfg.Seed, "seed", 1, "seed of the simulated fleet")
	l.Float(&cfg.Speed, "speed", 1, "simulated seconds per real second: the rate is about fleet x gateways-in-range x speed advertisements a second; 0 as fast as possible")
	l.String(&logFile, "log-file", "", "append the services' JSON logs here; default <data-dir>/logs/services.log, or discarded without a data dir")
	l.String(&cfg.LogLevel, "log-level", "info", "services' log level: debug or info")
	l.String(&cfg.Root, "repo", "", "checkout holding go.work; default: found from the working directory")
	if err := l.Parse(args); err != nil {
		return cfg, "", err
	}
	switch {
	case !slices.Contains(stack.Modes, cfg.Mode):
		return cfg, "", config.Invalid("mode", "want %s, got %q", strings.Join(stack.Modes, " or "), cfg.Mode)
	case partitions < 1:
		return cfg, "", config.Invalid("partitions", "must be at least 1, got %d", partitions)
	case cfg.Fleet < 1:
		return cfg, "", config.Invalid("fleet", "need at least 1 device, got %d", cfg.Fleet)
	case cfg.Speed < 0:
		return cfg, "", config.Invalid("speed", "must be 0 or more, got %v", cfg.Speed)
	}
	cfg.Clusters.Partitions = int32(partitions)
	if logFile == "" && cfg.Clusters.DataDir != "" {
		dir := filepath.Join(cfg.Clusters.DataDir, "logs")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return cfg, "", err
		}
		logFile = filepath.Join(dir, "services.log")
	}
	return cfg, logFile, nil
}
