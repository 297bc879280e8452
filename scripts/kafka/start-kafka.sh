#!/usr/bin/env bash
# Starts a single-node Kafka 4.1 broker in KRaft mode from its Maven Central jars (cached in .cache/kafka),
# with its log dir in a fresh temp dir; prints KAFKA_BOOTSTRAP_SERVERS=host:port and the broker's PID file.
# Usage: scripts/kafka/start-kafka.sh [port]   (stop it with: kill "$(cat <printed pid file>)")
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
libs="$root/.cache/kafka/libs"
port="${1:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}"
controller_port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"

if [ ! -f "$libs/.complete" ]; then
  echo "fetching the Kafka broker's jars from Maven Central into $libs" >&2
  if ! mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs" >&2; then
    echo "error: could not fetch org.apache.kafka:kafka_2.13 from Maven Central (see the Maven output above)" >&2
    exit 1
  fi
  touch "$libs/.complete"
fi

work="$(mktemp -d -t statusmonitor-kafka-XXXXXX)"
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
cluster_id="$(java -cp "$libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
java -cp "$libs/*" kafka.tools.StorageTool format -t "$cluster_id" -c "$work/server.properties" >"$work/format.log" 2>&1
java -Xmx512m -cp "$libs/*" kafka.Kafka "$work/server.properties" >"$work/broker.log" 2>&1 &
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
