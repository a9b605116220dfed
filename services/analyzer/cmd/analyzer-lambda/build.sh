#!/bin/sh
# build.sh OUT_DIR [GOARCH]: builds the analyzer's Lambda function as the
# provided.al2023 runtime runs it (a static binary named bootstrap, without
# the RPC entry point the go1.x runtime needed) and zips it to
# OUT_DIR/analyzer-lambda.zip. GOARCH defaults to arm64 (Graviton), which
# deploy/aws/template.yaml declares.
set -eu
out=${1:?usage: build.sh OUT_DIR [GOARCH]}
arch=${2:-arm64}
command -v zip >/dev/null || { echo "build.sh: needs zip (Debian: apt-get install zip)" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$here" && CGO_ENABLED=0 GOOS=linux GOARCH="$arch" go build -tags lambda.norpc -trimpath -ldflags='-s -w' -o "$work/bootstrap" .)
# A fixed timestamp, so the same sources give the same zip.
touch -t 202601010000 "$work/bootstrap"
rm -f "$out/analyzer-lambda.zip"
(cd "$work" && zip -X -q "$out/analyzer-lambda.zip" bootstrap)
echo "$out/analyzer-lambda.zip"
