#!/usr/bin/env bash
# fetch.sh puts Apache Kafka's broker and MirrorMaker 2 jars, with their
# runtime dependencies, into a cache directory and prints that directory's
# lib/ path. It uses Maven against Maven Central (the only Java registry this
# workplace reaches; the Apache download site is not reachable), so the jars
# are the official artifacts the tarball ships. A warm cache (a complete
# marker for the version) returns at once without calling Maven.
#
#   KAFKA_VERSION       Kafka release (default 3.9.1)
#   BLUESTREAM_CACHE    cache root (default $HOME/.cache/bluestream)
set -euo pipefail

version="${KAFKA_VERSION:-3.9.1}"
# Scala 2.13 is the build Kafka recommends; SLF4J's reload4j binding is what
# Kafka 3.x's own scripts put on the classpath for logging.
scala=2.13
slf4j=1.7.36

cache="${BLUESTREAM_CACHE:-$HOME/.cache/bluestream}/kafka/$version"
lib="$cache/lib"
if [[ -f "$cache/complete" ]]; then
  echo "$lib"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A throwaway project whose only job is to resolve the dependency tree.
cat >"$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.bluestream.testkafka</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_$scala</artifactId><version>$version</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>connect-mirror</artifactId><version>$version</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>connect-runtime</artifactId><version>$version</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>connect-mirror-client</artifactId><version>$version</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>connect-json</artifactId><version>$version</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>$slf4j</version></dependency>
  </dependencies>
</project>
EOF

echo "fetching Apache Kafka $version from Maven Central into $lib" >&2
rm -rf "$lib"
mkdir -p "$lib"
mvn -B -q -f "$work/pom.xml" \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$lib" >&2
n=$(find "$lib" -name '*.jar' | wc -l)
if ((n < 20)); then
  echo "fetch.sh: only $n jars in $lib; Maven did not resolve Kafka $version" >&2
  exit 1
fi
touch "$cache/complete"
echo "$lib"
