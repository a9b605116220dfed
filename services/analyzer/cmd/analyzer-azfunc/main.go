// Command analyzer-azfunc is the analyzer as an Azure Functions custom
// handler: the Functions host runs it, passes FUNCTIONS_CUSTOMHANDLER_PORT,
// and POSTs each Kafka trigger batch of azure.ble.enriched.v1 to /analyze
// and each minute's timer to /analyzer-tick (deploy/azure/analyzer). Each
// batch is applied to the engine opened on the PostgreSQL store at
// BLUESTREAM_STORE_DSN, its alerts are published on analyzer.alerts.v1,
// poison records are dead-lettered, and state and offsets are committed
// together before the host hears of success. Each tick moves the engine's
// event time on to the wall clock, so devices that fell silent time out
// without new readings.
package main

import (
	"context"
	"net/http"

	"github.com/bluestream/bluestream/platform/serverless/azfunc"
	"github.com/bluestream/bluestream/services/analyzer/cmd/internal/serverless"
)

// The functions' folder names and their triggers' binding names in
// deploy/azure/analyzer: the host posts to /<folder>.
const (
	program      = "analyzer-azfunc"
	function     = "analyze"
	binding      = "events"
	tickFunction = "analyzer-tick"
	tickBinding  = "timer"
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
	mux.Handle("POST /"+tickFunction, &azfunc.TimerHandler{Ticker: rt.Handler, Logger: rt.Logger, Binding: tickBinding})
	return mux
}
