// Command transformer decodes BLE advertisements: it consumes
// ble.advertisements.v1, publishes ReadingDecoded on ble.readings.v1 exactly
// once per input (Kafka transactions), and serves the TransformerService API.
//
//	transformer --kafka-brokers=localhost:9092        run the stream and the API
//	transformer decode [--plugin-dir=DIR] < payloads.txt   decode hex lines to JSON lines
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/services/transformer/internal/hexlines"
	"github.com/bluestream/bluestream/services/transformer/internal/pipeline"
	"github.com/bluestream/bluestream/services/transformer/internal/plugin"
	"github.com/bluestream/bluestream/services/transformer/service"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "decode" {
		if err := decodeCommand(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "transformer decode:", err)
			os.Exit(1)
		}
		return
	}
	app.Main("transformer", service.New())
}

// decodeCommand is `transformer decode [--plugin-dir DIR]`: stdin to stdout.
func decodeCommand(args []string) error {
	fs := flag.NewFlagSet("transformer decode", flag.ContinueOnError)
	dir := fs.String("plugin-dir", "", "directory of WASM decoder plugins to use as well")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx := context.Background()
	d := &pipeline.Decoder{}
	if *dir != "" {
		reg, err := plugin.Open(ctx, *dir, plugin.Limits{})
		if err != nil {
			return err
		}
		defer reg.Close(ctx)
		d.Plugins = reg
	}
	st, err := hexlines.Run(ctx, os.Stdin, os.Stdout, d, time.Now)
	fmt.Fprintf(os.Stderr, "transformer decode: %d lines, %d readings, %d bad lines\n", st.Lines, st.Readings, st.Errors)
	return err
}
