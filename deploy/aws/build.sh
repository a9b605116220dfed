#!/bin/sh
# build.sh OUT_DIR [GOARCH]: builds the Lambda functions of the transformer
# and the analyzer as the provided.al2023 runtime runs them (a static binary
# named bootstrap, without the RPC entry point the go1.x runtime needed) and
# zips each to OUT_DIR/<service>-lambda.zip, where template.yaml's CodeUri
# points. GOARCH defaults to arm64 (Graviton), which template.yaml declares.
set -eu
out=${1:?usage: build.sh OUT_DIR [GOARCH]}
arch=${2:-arm64}
command -v zip >/dev/null || { echo "build.sh: needs zip (Debian: apt-get install zip)" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
# Absolute, so the build below (run from the command's folder) writes there.
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# lambda SERVICE: OUT_DIR/SERVICE-lambda.zip holding
# services/SERVICE/cmd/SERVICE-lambda built as bootstrap.
lambda() {
	zip="$out/$1-lambda.zip"
	(cd "$here/../../services/$1/cmd/$1-lambda" && CGO_ENABLED=0 GOOS=linux GOARCH="$arch" go build -tags lambda.norpc -trimpath -ldflags='-s -w' -o "$work/bootstrap" .)
	# A fixed timestamp, so the same sources give the same zip.
	touch -t 202601010000 "$work/bootstrap"
	rm -f "$zip"
	(cd "$work" && zip -X -q "$zip" bootstrap)
	echo "$zip"
}
lambda transformer
lambda analyzer
