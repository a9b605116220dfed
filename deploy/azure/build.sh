#!/bin/sh
# build.sh OUT_DIR: assembles the Azure Functions app folders of the
# transformer and the analyzer (host.json, <function>/function.json and the
# custom handler binary, built static for Linux x86-64, the Functions Linux
# workers) ready for `func azure functionapp publish` or a zip deploy.
set -eu
out=${1:?usage: build.sh OUT_DIR}
# Absolute, so the build below (run from the command's folder) writes there.
mkdir -p "$out"
out=$(cd "$out" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
# app SERVICE FUNCTION...: OUT_DIR/SERVICE with SERVICE-azfunc serving each
# FUNCTION (a folder with its function.json).
app() {
	svc=$1
	shift
	dir="$out/$svc"
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$here/$svc/host.json" "$dir/"
	for fn in "$@"; do
		mkdir -p "$dir/$fn"
		cp "$here/$svc/$fn/function.json" "$dir/$fn/"
	done
	(cd "$here/../../services/$svc/cmd/$svc-azfunc" && CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -trimpath -ldflags='-s -w' -o "$(cd "$dir" && pwd)/$svc-azfunc" .)
	echo "$dir"
}
app transformer transform
app analyzer analyze analyzer-tick
