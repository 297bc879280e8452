#!/usr/bin/env bash
# `npm run test:services`: the suites that need real PostgreSQL, Redis and Kafka (port contracts on
# those adapters, the distributed end-to-end test). Uses TEST_DATABASE_URL / TEST_REDIS_URL /
# TEST_KAFKA_BOOTSTRAP_SERVERS when given; otherwise checks (starting or installing) the local
# PostgreSQL and Redis, and starts a single-node Kafka broker for the run and stops it afterwards.
# Extra arguments go to vitest (e.g. a file filter).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${TEST_DATABASE_URL:-}" ] || [ -z "${TEST_REDIS_URL:-}" ]; then
  bash scripts/ensure-services.sh
fi
# With trust authentication (the development machines) the password is ignored; a PostgreSQL that
# ensure-services.sh installed itself has this password set.
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/test}"
export TEST_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"

kafka_pid_file=""
stop_kafka() {
  if [ -n "$kafka_pid_file" ] && [ -f "$kafka_pid_file" ]; then
    local pid; pid="$(cat "$kafka_pid_file")"
    kill "$pid" 2>/dev/null || true
    # The broker shuts down cleanly in a few seconds; wait for it with a deadline.
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    rm -rf "$(dirname "$kafka_pid_file")"
  fi
}
if [ -z "${TEST_KAFKA_BOOTSTRAP_SERVERS:-}" ]; then
  echo "== starting a Kafka broker for the run"
  started="$(bash scripts/kafka/start-kafka.sh)"
  kafka_pid_file="$(printf '%s\n' "$started" | sed -n 's/^KAFKA_PID_FILE=//p')"
  trap stop_kafka EXIT
  export TEST_KAFKA_BOOTSTRAP_SERVERS="$(printf '%s\n' "$started" | sed -n 's/^KAFKA_BOOTSTRAP_SERVERS=//p')"
fi
without_credentials() { sed -E 's#//[^@/]*@#//#' <<<"$1"; }
echo "services: PostgreSQL $(without_credentials "$TEST_DATABASE_URL"), Redis $(without_credentials "$TEST_REDIS_URL"), Kafka $TEST_KAFKA_BOOTSTRAP_SERVERS"

# The distributed end-to-end test runs the hub from packages/server/dist.
npx tsc -b packages/server
npx vitest run -c vitest.services.config.ts "$@"
