#!/usr/bin/env bash
# Checks proto/ against a git ref for breaking changes (buf FILE rules). buf's own
# git input cannot see protovalidate's proto, which lives in the untracked .cache/,
# so the ref's tree is exported beside a copy of it and compared as a directory.
set -euo pipefail
buf=$1
ref=${2:-main}
if ! git rev-parse --verify --quiet "$ref^{commit}" >/dev/null || ! git cat-file -e "$ref:proto" 2>/dev/null; then
  echo "buf breaking: $ref has no proto/ yet, nothing to compare against"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git archive "$ref" proto buf.yaml | tar -x -C "$tmp"
mkdir -p "$tmp/.cache"
cp -r .cache/protovalidate "$tmp/.cache/"
"$buf" breaking --against "$tmp"
echo "buf breaking: no breaking changes against $ref"
