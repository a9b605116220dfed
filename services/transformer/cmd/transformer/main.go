// Command transformer decodes BLE advertisements: it consumes
// ble.advertisements.v1, publishes ReadingDecoded on ble.readings.v1 exactly
// once per input (Kafka transactions), and serves the TransformerService API.
//
//	transformer --kafka-brokers=localhost:9092        run the stream and the API
//	transformer decode < payloads.txt                 decode hex lines to JSON lines
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/services/transformer/internal/hexlines"
	"github.com/bluestream/bluestream/services/transformer/internal/pipeline"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "decode" {
		st, err := hexlines.Run(context.Background(), os.Stdin, os.Stdout, &pipeline.Decoder{}, time.Now)
		fmt.Fprintf(os.Stderr, "transformer decode: %d lines, %d readings, %d bad lines\n", st.Lines, st.Readings, st.Errors)
		if err != nil {
			fmt.Fprintln(os.Stderr, "transformer decode:", err)
			os.Exit(1)
		}
		return
	}
	app.Main("transformer", &service{})
}
