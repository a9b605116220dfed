// Command transformer-azfunc is the transformer as an Azure Functions custom
// handler: the Functions host runs it, passes FUNCTIONS_CUSTOMHANDLER_PORT,
// and POSTs each Kafka trigger batch of ble.advertisements.v1 to /transform
// (deploy/azure/transformer). It publishes ReadingDecoded on ble.readings.v1
// to BLUESTREAM_KAFKA_BROKERS and dead-letters poison records itself.
package main

import (
	"context"
	"net/http"

	"github.com/bluestream/bluestream/platform/serverless/azfunc"
	"github.com/bluestream/bluestream/services/transformer/internal/serverless"
)

const (
	program = "transformer-azfunc"
	// function and binding name the function folder and its trigger in
	// deploy/azure/transformer/transform/function.json.
	function = "transform"
	binding  = "events"
)

func main() {
	azfunc.Main(func(ctx context.Context) (azfunc.App, error) {
		rt, err := serverless.OpenEnv(ctx, program)
		if err != nil {
			return azfunc.App{}, err
		}
		return azfunc.App{Routes: routes(rt), Instance: rt, Logger: rt.Logger}, nil
	})
}

// routes serves each function of the app at the path the host posts to.
func routes(rt *serverless.Runtime) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST /"+function, &azfunc.Handler{Core: rt.Handler, Logger: rt.Logger, Binding: binding})
	return mux
}
