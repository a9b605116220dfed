#!/usr/bin/env bash
# deps.sh installs what run.sh needs besides Go, from Debian's packages, when
# it is missing: a Java 17 runtime for Kafka and MirrorMaker 2, and Maven to
# fetch their jars from Maven Central on a cold cache. CI calls it before
# `make test-kafka`; on a workstation that has both it does nothing.
set -euo pipefail
missing=()
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || missing+=(maven)
command -v ss >/dev/null || missing+=(iproute2)
if ((${#missing[@]} > 0)); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
java -version 2>&1 | head -n 1
