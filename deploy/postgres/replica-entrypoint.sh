#!/usr/bin/env bash
# Entrypoint of the compose `replica` service (official postgres image, run as root): on an empty
# data directory, clone the primary with pg_basebackup -R (a hot standby that streams from it),
# then hand over to the image's own entrypoint, which finds a database and starts postgres on it.
# scripts/check-compose-postgres.sh runs this same file outside Docker, with a stand-in
# docker-entrypoint.sh on PATH.
set -Eeuo pipefail

: "${PGDATA:=/var/lib/postgresql/data}"
: "${PRIMARY_HOST:=db}"
: "${PRIMARY_PORT:=5432}"
: "${POSTGRES_REPLICATION_USER:=replicator}"
: "${PRIMARY_WAIT_SECONDS:=120}"

log() { printf 'replica-entrypoint: %s\n' "$*" >&2; }

# PostgreSQL refuses to run as root; the image ships gosu, a plain machine has runuser
as_postgres() {
  if [ "$(id -u)" != 0 ]; then
    "$@"
  elif command -v gosu > /dev/null; then
    gosu postgres "$@"
  else
    runuser -u postgres -- "$@"
  fi
}

wait_for_primary() {
  local deadline=$((SECONDS + PRIMARY_WAIT_SECONDS))
  # over TCP: while the primary's image runs its init scripts it listens on its socket only
  until pg_isready -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "primary $PRIMARY_HOST:$PRIMARY_PORT not ready after ${PRIMARY_WAIT_SECONDS}s"
      return 1
    fi
    sleep 1
  done
}

clone_primary() {
  : "${POSTGRES_REPLICATION_PASSWORD:?set POSTGRES_REPLICATION_PASSWORD}"
  mkdir -p "$PGDATA"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$PGDATA"; fi
  chmod 0700 "$PGDATA"
  wait_for_primary
  log "cloning $PRIMARY_HOST:$PRIMARY_PORT into $PGDATA"
  # -R writes standby.signal and primary_conninfo (with this password: the standby reconnects
  # with it after every restart); on failure pg_basebackup empties the directory again
  PGPASSWORD="$POSTGRES_REPLICATION_PASSWORD" as_postgres pg_basebackup \
    -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$POSTGRES_REPLICATION_USER" -D "$PGDATA" \
    -R -X stream -c fast --no-password
  chmod 0700 "$PGDATA"
}

main() {
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    clone_primary
  else
    log "$PGDATA already holds a database: starting it as it is"
  fi
  exec docker-entrypoint.sh "$@"
}

if [ "$#" -eq 0 ]; then set -- postgres; fi
main "$@"
