#!/usr/bin/env bash
# Starts a single-node Kafka 4.1 broker in KRaft mode from its Maven Central jars (cached in .cache/kafka),
# with its log dir in a fresh temp dir; prints KAFKA_BOOTSTRAP_SERVERS=host:port and the broker's PID file.
# Usage: scripts/kafka/start-kafka.sh [port] [work-dir]   (stop it with: kill "$(cat <printed pid file>)")
# An empty or missing port picks a free one. With a work dir the config and data live there instead of
# in a fresh temp dir; when it already holds a broker from an earlier run, that broker starts again on
# the same ports with its data (a broker restart, for tests that need one).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
libs="$root/.cache/kafka/libs"
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
work="${2:-}"
restart=false
if [ -n "$work" ] && [ -f "$work/server.properties" ]; then
  restart=true
  port="$(sed -n 's#^advertised.listeners=PLAINTEXT://127.0.0.1:\([0-9]*\)$#\1#p' "$work/server.properties")"
  if [ -n "${1:-}" ] && [ "$1" != "$port" ]; then
    echo "error: $work holds a broker on port $port, not $1" >&2
    exit 1
  fi
else
  port="${1:-$(free_port)}"
  controller_port="$(free_port)"
fi

if [ ! -f "$libs/.complete" ]; then
  echo "fetching the Kafka broker's jars from Maven Central into $libs" >&2
  if ! mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs" >&2; then
    echo "error: could not fetch org.apache.kafka:kafka_2.13 from Maven Central (see the Maven output above)" >&2
    exit 1
  fi
  touch "$libs/.complete"
fi

# A new broker: its config, and its log dir formatted with a new cluster id.
create_broker() {
  cat > "$work/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$work/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
  local cluster_id
  cluster_id="$(java -cp "$libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
  java -cp "$libs/*" kafka.tools.StorageTool format -t "$cluster_id" -c "$work/server.properties" >"$work/format.log" 2>&1
}
if [ "$restart" = false ]; then
  if [ -n "$work" ]; then mkdir -p "$work"; else work="$(mktemp -d -t statusmonitor-kafka-XXXXXX)"; fi
  create_broker
fi
java -Xmx512m -cp "$libs/*" kafka.Kafka "$work/server.properties" >>"$work/broker.log" 2>&1 &
echo $! >"$work/broker.pid"

# Poll the listener with a deadline rather than sleeping a fixed time.
for _ in $(seq 1 120); do
  if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$port"
    echo "KAFKA_PID_FILE=$work/broker.pid"
    exit 0
  fi
  kill -0 "$(cat "$work/broker.pid")" 2>/dev/null || { echo "error: the broker exited; log: $work/broker.log" >&2; tail -20 "$work/broker.log" >&2; exit 1; }
  sleep 0.5
done
echo "error: the broker did not listen on 127.0.0.1:$port within 60 s; log: $work/broker.log" >&2
exit 1
