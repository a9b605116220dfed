#!/bin/sh
# build.sh OUT_DIR: assembles the transformer's Azure Functions app folder
# (host.json, transform/function.json and the custom handler binary, built
# static for Linux x86-64, the Functions Linux workers) ready for
# `func azure functionapp publish` or a zip deploy.
set -eu
out=${1:?usage: build.sh OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
app="$out/transformer"
rm -rf "$app"
mkdir -p "$app/transform"
cp "$here/transformer/host.json" "$app/"
cp "$here/transformer/transform/function.json" "$app/transform/"
(cd "$here/../../services/transformer/cmd/transformer-azfunc" && CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -trimpath -ldflags='-s -w' -o "$(cd "$app" && pwd)/transformer-azfunc" .)
echo "$app"
