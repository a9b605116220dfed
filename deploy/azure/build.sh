#!/bin/sh
# build.sh OUT_DIR: assembles the Azure Functions app folders of the
# transformer and the analyzer (host.json, <function>/function.json and the
# custom handler binary, built static for Linux x86-64, the Functions Linux
# workers) ready for `func azure functionapp publish` or a zip deploy.
set -eu
out=${1:?usage: build.sh OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
# app SERVICE FUNCTION: OUT_DIR/SERVICE with SERVICE-azfunc serving FUNCTION.
app() {
	dir="$out/$1"
	rm -rf "$dir"
	mkdir -p "$dir/$2"
	cp "$here/$1/host.json" "$dir/"
	cp "$here/$1/$2/function.json" "$dir/$2/"
	(cd "$here/../../services/$1/cmd/$1-azfunc" && CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -trimpath -ldflags='-s -w' -o "$(cd "$dir" && pwd)/$1-azfunc" .)
	echo "$dir"
}
app transformer transform
app analyzer analyze
