#!/usr/bin/env bash
# Checks that PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) answer, starting them from the
# Debian packages (installing them if absent) when they do not. URLs from the environment win.
set -uo pipefail

have() { command -v "$1" >/dev/null 2>&1; }
apt_install() {
  if ! have apt-get; then echo "ensure-services: apt-get not available to install $*" >&2; return 1; fi
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() {
  for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done
  return 1
}

ensure_postgres() {
  if [ -n "${DATABASE_URL:-}" ] || port_open 5432; then echo "ensure-services: PostgreSQL ok"; return 0; fi
  have pg_ctlcluster || apt_install postgresql || return 1
  local version; version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)
  [ -n "$version" ] || { echo "ensure-services: no PostgreSQL cluster found" >&2; return 1; }
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_port 5432 || return 1
  # A fresh Debian cluster only lets the postgres OS user in: give the tests a password and their database.
  su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = 'test'\"" | grep -q 1 || su postgres -c "createdb test"
  echo "ensure-services: PostgreSQL started"
}

ensure_redis() {
  if [ -n "${REDIS_URL:-}" ] || port_open 6379; then echo "ensure-services: Redis ok"; return 0; fi
  have redis-server || apt_install redis-server || return 1
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_port 6379 && echo "ensure-services: Redis started"
}

status=0
ensure_postgres || { echo "ensure-services: PostgreSQL is not available" >&2; status=1; }
ensure_redis || { echo "ensure-services: Redis is not available" >&2; status=1; }
exit $status
