#!/usr/bin/env bash
# run.sh is mirror-health's real-broker suite: two single-node Apache Kafka
# clusters in KRaft mode ("azure" and "aws") on loopback, started from the
# official jars (fetch.sh), and the module's tests built with -tags kafka run
# against them. The tests start, kill and restart MirrorMaker 2 themselves
# (they must stop it mid-stream), from the configuration this script assembles:
# deploy/mirrormaker2/connect-mirror-maker.properties plus mm2-test.properties.
# Everything it started is stopped on exit, whatever the outcome.
#
# Needs: Java 17+, Maven (first run only, to fill the cache), Go.
# Extra arguments go to `go test`, e.g. ./testkafka/run.sh -run MirrorMaker -v
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$here")"
repo="$(cd "$module/../.." && pwd)"
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"

for tool in java mvn go ss; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool not found; testkafka/deps.sh installs Java 17 and Maven" >&2; exit 1; }
done

lib="$("$here/fetch.sh")"
work="$(mktemp -d "${TMPDIR:-/tmp}/bluestream-testkafka.XXXXXX")"
pids=()

cleanup() {
  local rc=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if ((rc != 0)); then
    # Keep what explains a failure: the brokers' and MirrorMaker 2's logs.
    for f in "$work"/*.log; do [[ -f "$f" ]] && { echo "--- $f (last 40 lines)"; tail -n 40 "$f"; }; done >&2
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# free_port prints a loopback TCP port nobody listens on.
free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 40000))
    if ! ss -Htln "sport = :$p" | grep -q .; then
      echo "$p"
      return
    fi
  done
  echo "run.sh: no free port found" >&2
  return 1
}

java_opts=(-Xms256m -Xmx768m -XX:+UseSerialGC "-Dlog4j.configuration=file:$here/log4j.properties")

# start_broker NAME starts one combined broker+controller and prints host:port.
start_broker() {
  local name="$1" port cport dir
  port="$(free_port)"
  cport="$(free_port)"
  dir="$work/$name"
  mkdir -p "$dir/data"
  cat >"$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
group.initial.rebalance.delay.ms=0
EOF
  local id
  id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  java -cp "$lib/*" "${java_opts[@]}" kafka.tools.StorageTool format -t "$id" -c "$dir/server.properties" >"$work/$name-format.log" 2>&1
  java -cp "$lib/*" "${java_opts[@]}" kafka.Kafka "$dir/server.properties" >"$work/$name.log" 2>&1 &
  pids+=($!)
  echo "127.0.0.1:$port"
}

# wait_started NAME polls the broker's log for KafkaRaftServer's start line.
wait_started() {
  local name="$1" deadline=$((SECONDS + 90))
  until grep -q "Kafka Server started" "$work/$name.log"; do
    if ((SECONDS > deadline)); then
      echo "run.sh: broker $name did not start within 90s" >&2
      return 1
    fi
    sleep 0.2
  done
}

t0=$SECONDS
azure="$(start_broker azure)"
aws="$(start_broker aws)"
wait_started azure
wait_started aws
echo "brokers up in $((SECONDS - t0))s: azure=$azure aws=$aws" >&2

cat "$repo/deploy/mirrormaker2/connect-mirror-maker.properties" "$here/mm2-test.properties" >"$work/mm2.properties"

export BLUESTREAM_TEST_AZURE_BROKERS="$azure"
export BLUESTREAM_TEST_AWS_BROKERS="$aws"
export BLUESTREAM_MM2_AZURE_BOOTSTRAP_SERVERS="$azure"
export BLUESTREAM_MM2_AWS_BOOTSTRAP_SERVERS="$aws"
export BLUESTREAM_TEST_KAFKA_CLASSPATH="$lib/*"
export BLUESTREAM_TEST_MM2_PROPERTIES="$work/mm2.properties"
export BLUESTREAM_TEST_JAVA_OPTS="${java_opts[*]}"
export BLUESTREAM_TEST_LOG_DIR="$work"

cd "$module"
t1=$SECONDS
go test -tags kafka -count=1 -timeout 7m "$@" ./...
echo "go test -tags kafka took $((SECONDS - t1))s; whole suite $((SECONDS - t0))s" >&2
