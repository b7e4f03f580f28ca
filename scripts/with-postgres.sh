#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL cluster and Redis, both on loopback, in a temporary
# folder removed afterwards:  bash scripts/with-postgres.sh npm test
#                             bash scripts/with-postgres.sh npm test -- test/routes/health.test.ts
# The command sees TEST_DATABASE_URL (the cluster's maintenance database: test/helper.ts creates one
# database per test app from a migrated template) and TEST_REDIS_URL. As root (CI), the cluster runs
# as the `postgres` account, since PostgreSQL refuses root. Exits with the command's status.
set -euo pipefail

bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "PostgreSQL introuvable (/usr/lib/postgresql/*/bin) : apt-get install postgresql" >&2
  exit 1
fi
redis=$(command -v redis-server || true)

free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close() })'
}

dir=$(mktemp -d "${TMPDIR:-/tmp}/certisalle-pg-XXXXXX")
as_owner=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" --shell /usr/sbin/nologin postgres
  chown postgres "$dir"
  as_owner=(runuser -u postgres --)
fi
pg_port=$(free_port)
redis_port=$(free_port)

cleanup() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  if [ -f "$dir/redis.pid" ]; then kill "$(cat "$dir/redis.pid")" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT

"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
# A throw-away cluster: durability traded for speed (fsync off), enough connections for tap's jobs.
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
  -o "-h 127.0.0.1 -p $pg_port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
  start >/dev/null || { cat "$dir/postgres.log" >&2; exit 1; }
export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"

if [ -n "$redis" ]; then
  "$redis" --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
  export TEST_REDIS_URL="redis://127.0.0.1:$redis_port"
else
  echo "redis-server introuvable : les tests Redis seront sautés (apt-get install redis-server)" >&2
fi

echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') sur 127.0.0.1:$pg_port${TEST_REDIS_URL:+, Redis sur 127.0.0.1:$redis_port}" >&2
set +e
"$@"
status=$?
exit "$status"
