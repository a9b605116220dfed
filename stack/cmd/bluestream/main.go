// Command bluestream runs the whole system on one machine (`make run`): two
// embedded Kafka clusters on loopback, keeping their logs in a data directory,
// and the services that work on them.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/bluestream/bluestream/platform/config"
	"github.com/bluestream/bluestream/stack"
)

func main() {
	if err := run(); err != nil {
		slog.Error("exiting", "err", err)
		os.Exit(1)
	}
}

func run() error {
	var cfg stack.ClusterConfig
	partitions := 3
	l := config.New("bluestream")
	l.String(&cfg.DataDir, "data-dir", "data", "where the embedded clusters keep their logs; empty keeps them in memory")
	l.Int(&cfg.PrimaryPort, "primary-port", 19092, "port of the primary (azure) cluster; 0 picks one")
	l.Int(&cfg.MirrorPort, "mirror-port", 29092, "port of the mirror (aws) cluster; 0 picks one")
	l.Int(&partitions, "partitions", 3, "partitions per topic")
	if err := l.Parse(os.Args[1:]); err != nil {
		return err
	}
	if partitions < 1 {
		return config.Invalid("partitions", "must be at least 1, got %d", partitions)
	}
	cfg.Partitions = int32(partitions)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	clusters, err := stack.StartClusters(cfg)
	if err != nil {
		return err
	}
	defer clusters.Close()
	fmt.Println(clusters.Describe())
	fmt.Println("press Ctrl-C to stop")
	<-ctx.Done()
	return nil
}
