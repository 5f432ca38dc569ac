#!/usr/bin/env bash
# Runs once, when the official postgres image initialises an empty primary (mounted into
# /docker-entrypoint-initdb.d/): a role the replica streams with, and the pg_hba.conf line that
# lets it in. The image runs this as the postgres user against its socket-only setup server, with
# PGDATA, POSTGRES_USER and POSTGRES_DB set; scripts/check-compose-postgres.sh runs it the same way
# against a throwaway cluster (PGHOST/PGPORT then point psql at that cluster's socket).

# A subshell: the image sources scripts that lost their executable bit, and these shell options
# and variables must not leak into its entrypoint then.
setup_replication() (
  set -Eeuo pipefail
  local user="${POSTGRES_REPLICATION_USER:-replicator}"
  local password="${POSTGRES_REPLICATION_PASSWORD:?set POSTGRES_REPLICATION_PASSWORD}"

  # the name also goes into pg_hba.conf, whose quoting differs from SQL's: keep it plain
  if [[ ! "$user" =~ ^[a-z_][a-z0-9_]*$ ]]; then
    echo "primary-init: POSTGRES_REPLICATION_USER must match [a-z_][a-z0-9_]*" >&2
    exit 1
  fi

  # psql variables quote the name and the password, whatever characters the password holds
  psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --set user="$user" --set password="$password" <<'SQL'
CREATE ROLE :"user" WITH LOGIN REPLICATION PASSWORD :'password';
-- a replica stopped for a while (`docker compose stop replica`) can still catch up from the WAL
-- kept here; a replication slot would keep WAL forever for a replica that never comes back
ALTER SYSTEM SET wal_keep_size = '256MB';
SQL

  # The image's own line, `host all all all <method>`, does not admit replication connections
  # (`all` never matches the replication pseudo-database). Read when the server next starts,
  # which the image does right after its init scripts.
  printf 'host replication %s all scram-sha-256\n' "$user" >> "$PGDATA/pg_hba.conf"
)

setup_replication
