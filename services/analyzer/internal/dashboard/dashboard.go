// Package dashboard serves the analyzer's web page: static files embedded in
// the binary, no build step. The page calls AnalyzerService from the
// browser with the Connect protocol's JSON over HTTP, so everything it
// shows comes through the same API every other client uses.
package dashboard

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed static
var files embed.FS

// Handler serves the dashboard at the root of the server's mux.
func Handler() http.Handler {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return http.FileServerFS(sub)
}
