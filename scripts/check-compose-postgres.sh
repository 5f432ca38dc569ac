#!/usr/bin/env bash
# What compose.yaml's `db` and `replica` services do, with the PostgreSQL 15 server binaries run
# directly (no Docker engine needed): a throwaway primary initialised the way the official image
# does it, deploy/postgres/primary-init.sh run against its socket-only setup server,
# deploy/postgres/replica-entrypoint.sh cloning it into an empty directory, then a row written on
# the primary and read on the replica, before and after the replica restarts. Everything lives in
# a temp folder on free loopback ports and is removed on exit. As root, the servers run as postgres.
#   scripts/check-compose-postgres.sh        (TEST_PG_BIN_DIR overrides /usr/lib/postgresql/15/bin)
set -Eeuo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

pg_bin="${TEST_PG_BIN_DIR:-/usr/lib/postgresql/15/bin}"
for tool in initdb pg_ctl pg_basebackup pg_isready psql; do
  [ -x "$pg_bin/$tool" ] || { echo "check-compose-postgres: $pg_bin/$tool not found (set TEST_PG_BIN_DIR)" >&2; exit 1; }
done
export PATH="$pg_bin:$PATH"

# what compose.yaml sets
db_user=reviews
db_password=reviews
replication_password="check-$RANDOM-pass 'quoted'" # the init script must quote whatever it is given

step() { printf 'ok - %s\n' "$*"; }
fail() { printf 'not ok - %s\n' "$*" >&2; exit 1; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local port=$1
  while (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; do port=$((port + 1)); done
  echo "$port"
}

work=$(mktemp -d "${TMPDIR:-/tmp}/rcr-compose-pg.XXXXXX")
primary="$work/primary"
replica="$work/replica"
started=()
cleanup() {
  local status=$? dir
  if [ "$status" != 0 ]; then
    for dir in "$primary" "$replica"; do
      [ -f "$dir.log" ] && { echo "--- $dir.log" >&2; tail -n 20 "$dir.log" >&2; }
    done
  fi
  for dir in "${started[@]}"; do as_postgres pg_ctl -D "$dir" -m immediate -w stop > /dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trap 'printf "not ok - line %s%s: %s\n" "$LINENO" "${FUNCNAME[0]:+ (${FUNCNAME[0]}, called from line ${BASH_LINENO[0]})}" "$BASH_COMMAND" >&2' ERR
if [ "$(id -u)" = 0 ]; then chown postgres: "$work"; fi

primary_port=$(free_port 55432)
replica_port=$(free_port $((primary_port + 1)))
primary_url="postgres://$db_user:$db_password@127.0.0.1:$primary_port/reviews"
replica_url="postgres://$db_user:$db_password@127.0.0.1:$replica_port/reviews"
pg_start() { as_postgres pg_ctl -D "$1" -l "$1.log" -w -t 60 "${@:2}" start > /dev/null; }
sql() { psql -X -q -At -v ON_ERROR_STOP=1 "$1" -c "$2"; }
# wait_for WHAT EXPECTED URL QUERY: polls QUERY until it returns EXPECTED (replication is asynchronous)
wait_for() {
  local deadline=$((SECONDS + 15))
  until [ "$(sql "$3" "$4" 2> /dev/null)" = "$2" ]; do
    [ "$SECONDS" -lt "$deadline" ] || fail "timed out waiting for $1"
    sleep 0.2
  done
}

# --- compose.yaml parses and mounts the very scripts checked below ------------------------------
if node -e 'require.resolve("yaml")' 2> /dev/null; then
  node -e '
    const YAML = require("yaml");
    const doc = YAML.parseDocument(require("fs").readFileSync("compose.yaml", "utf8"), { uniqueKeys: true });
    if (doc.errors.length > 0) throw new Error(doc.errors.join("\n"));
    const { db, replica } = doc.toJS().services;
    const expect = (ok, what) => { if (!ok) throw new Error("compose.yaml: " + what); };
    expect(db.volumes.some((v) => v.startsWith("./deploy/postgres/primary-init.sh:/docker-entrypoint-initdb.d/")), "db does not mount primary-init.sh as an init script");
    expect(replica.volumes.includes("./deploy/postgres/replica-entrypoint.sh:/usr/local/bin/replica-entrypoint.sh:ro"), "replica does not mount replica-entrypoint.sh");
    expect(replica.entrypoint.join(" ") === "bash /usr/local/bin/replica-entrypoint.sh", "replica entrypoint is not replica-entrypoint.sh");
  ' || fail "compose.yaml"
  step "compose.yaml parses; db and replica mount the scripts checked here"
else
  printf 'skip - compose.yaml parse: the yaml package is not installed (npm ci)\n'
fi

# --- the primary, as the image's entrypoint builds it ---------------------------------------
printf '%s\n' "$db_password" > "$work/pwfile"
if [ "$(id -u)" = 0 ]; then chown postgres: "$work/pwfile"; fi
as_postgres initdb -D "$primary" --username="$db_user" --pwfile="$work/pwfile" \
  -E UTF8 --locale=C --no-sync --no-instructions > /dev/null 2> "$work/initdb.err" ||
  { cat "$work/initdb.err" >&2; fail "initdb failed"; }
# The replica reaches the primary from another container, which initdb's loopback lines
# (trust, replication included) never match here: drop them, so that only what the image
# appends (`host all all all scram-sha-256` on PostgreSQL 15) and the init script's line admit TCP.
sed -i -E '/^host[[:space:]]/d' "$primary/pg_hba.conf"
printf '\nhost all all all scram-sha-256\n' >> "$primary/pg_hba.conf"
cat >> "$primary/postgresql.conf" << CONF
listen_addresses = '127.0.0.1'
port = $primary_port
unix_socket_directories = '$work'
shared_buffers = 16MB
max_connections = 20
fsync = off
CONF

# the image's setup server (socket only), its POSTGRES_DB, then /docker-entrypoint-initdb.d/
pg_start "$primary" -o "-c listen_addresses=''"
started+=("$primary")
as_postgres psql -X -q -h "$work" -p "$primary_port" -U "$db_user" -d postgres -c 'CREATE DATABASE reviews' > /dev/null
as_postgres env PGHOST="$work" PGPORT="$primary_port" PGDATA="$primary" \
  POSTGRES_USER="$db_user" POSTGRES_DB=reviews \
  POSTGRES_REPLICATION_USER=replicator POSTGRES_REPLICATION_PASSWORD="$replication_password" \
  "$repo/deploy/postgres/primary-init.sh" > /dev/null
as_postgres pg_ctl -D "$primary" -m fast -w stop > /dev/null
step "primary-init.sh ran on the image-style setup server"

pg_start "$primary"
[ "$(sql "$primary_url" 'SHOW wal_keep_size')" = 256MB ] || fail "wal_keep_size is not 256MB on the primary"
step "primary listens on 127.0.0.1:$primary_port (password auth, wal_keep_size 256MB)"

# --- the replica, through its entrypoint, with a stand-in for the image's docker-entrypoint.sh ---
mkdir -p "$work/bin"
cat > "$work/bin/docker-entrypoint.sh" << 'STUB'
#!/bin/sh
printf '%s\n' "$*" > "$STUB_RECORD"
STUB
chmod +x "$work/bin/docker-entrypoint.sh"
run_replica_entrypoint() {
  rm -f "$work/exec-args"
  env PATH="$work/bin:$PATH" STUB_RECORD="$work/exec-args" PGDATA="$replica" \
    PRIMARY_HOST=127.0.0.1 PRIMARY_PORT="$primary_port" PRIMARY_WAIT_SECONDS=10 \
    POSTGRES_REPLICATION_USER=replicator POSTGRES_REPLICATION_PASSWORD="$replication_password" \
    bash "$repo/deploy/postgres/replica-entrypoint.sh" postgres 2> "$work/entrypoint.err" ||
    { cat "$work/entrypoint.err" >&2; fail "replica-entrypoint.sh failed"; }
  [ "$(cat "$work/exec-args" 2> /dev/null)" = postgres ] || fail "replica-entrypoint.sh did not exec docker-entrypoint.sh postgres"
}

run_replica_entrypoint
[ -f "$replica/standby.signal" ] || fail "no standby.signal: pg_basebackup -R did not run"
[ "$(stat -c %a "$replica")" = 700 ] || fail "replica data directory is not 0700"
[ "$(id -u)" != 0 ] || [ "$(stat -c %U "$replica")" = postgres ] || fail "replica data directory is not owned by postgres"
step "replica-entrypoint.sh cloned the primary (standby.signal, 0700) and exec'd docker-entrypoint.sh postgres"

# the image's entrypoint would now start postgres on the data directory; its port here is its own
pg_start "$replica" -o "-p $replica_port"
started+=("$replica")

read_on_replica() {
  sql "$primary_url" "INSERT INTO compose_check VALUES ('$1')"
  wait_for "row '$1' written on the primary to reach the replica" 1 "$replica_url" "SELECT count(*) FROM compose_check WHERE token = '$1'"
}

[ "$(sql "$replica_url" 'SELECT pg_is_in_recovery()')" = t ] || fail "replica is not in recovery"
sql "$primary_url" 'CREATE TABLE compose_check (token text)'
read_on_replica first
wait_for "replicator streaming" "replicator streaming" "$primary_url" "SELECT usename || ' ' || state FROM pg_stat_replication"
step "row written on the primary read on the replica ($replica_url, user replicator streaming)"

# `docker compose stop replica` / `start replica`: the entrypoint keeps the data, the standby reconnects
as_postgres pg_ctl -D "$replica" -m fast -w stop > /dev/null
sql "$primary_url" "INSERT INTO compose_check VALUES ('while-stopped')"
run_replica_entrypoint
grep -q 'already holds a database' "$work/entrypoint.err" || fail "replica-entrypoint.sh cloned again over existing data"
pg_start "$replica" -o "-p $replica_port"
read_on_replica after-restart
[ "$(sql "$replica_url" "SELECT count(*) FROM compose_check")" = 3 ] || fail "replica missed the row written while it was stopped"
step "after a restart the replica kept its data, caught up and streams again"

if sql "$replica_url" "INSERT INTO compose_check VALUES ('x')" 2> /dev/null; then fail "the replica accepted a write"; fi
step "the replica refuses writes (hot standby)"
