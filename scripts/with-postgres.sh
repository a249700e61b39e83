#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster.
#
#   scripts/with-postgres.sh COMMAND [ARGS...]
#
# Starts a private cluster from the installed server binaries (/usr/lib/postgresql/<highest>/bin, or
# PG_BIN if set) in a fresh temporary directory, listening only on a Unix socket inside that directory
# (no TCP), trust authentication, durability switched off for speed. Runs COMMAND with
#   DATABASE_URL=postgresql://postgres@/dynamic_framework?host=<socket dir>
# then always stops the cluster and removes the directory, and exits with COMMAND's status.
#
# Without server binaries: under CI=true this is a failure (exit 1); otherwise a warning, and exit 0
# with a line saying the PostgreSQL half was skipped.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

is_ci() { [[ "${CI:-}" == "true" || "${CI:-}" == "1" ]]; }

find_pg_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then
    echo "$PG_BIN"
    return
  fi
  local dir best="" best_version=-1 version
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]] || continue
    version="$(basename "$(dirname "$dir")")"
    version="${version%%.*}"
    [[ "$version" =~ ^[0-9]+$ ]] || continue
    if (( version > best_version )); then
      best_version=$version
      best=$dir
    fi
  done
  if [[ -z "$best" ]] && command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    best="$(dirname "$(command -v initdb)")"
  fi
  echo "$best"
}

PG_BIN="$(find_pg_bin)"
if [[ -z "$PG_BIN" || ! -x "$PG_BIN/initdb" ]]; then
  message="PostgreSQL server binaries not found (looked in /usr/lib/postgresql/*/bin and PATH; install postgresql, or set PG_BIN)."
  if is_ci; then
    echo "ERROR: $message CI=true, so this is a failure." >&2
    exit 1
  fi
  echo "WARNING: $message" >&2
  echo "SKIPPED: the PostgreSQL half of the tests was skipped (no PostgreSQL server binaries)."
  exit 0
fi

# Run the server tools as the postgres user when we are root (initdb and postgres refuse to run as root).
as_pg=()
if [[ "$(id -u)" -eq 0 ]]; then
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin postgres
  fi
  as_pg=(runuser -u postgres --)
fi

# A short path: Unix socket paths are limited to about 100 characters.
PG_DIR="$(mktemp -d /tmp/df-pg.XXXXXX)"
PG_DATA="$PG_DIR/data"
PG_LOG="$PG_DIR/server.log"
started=0

# The server tools run from the cluster's directory: the postgres user may not be able to read ours.
pg() { (cd "$PG_DIR" && "${as_pg[@]}" "$@"); }

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if (( started )); then
    pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ ${#as_pg[@]} -gt 0 ]]; then
  chown postgres: "$PG_DIR"
fi
chmod 700 "$PG_DIR"

pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --no-locale --no-sync \
  >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; echo "ERROR: initdb failed" >&2; exit 1; }

cat >>"$PG_DATA/postgresql.conf" <<CONF
# Throwaway test cluster: Unix socket only, no durability.
listen_addresses = ''
unix_socket_directories = '$PG_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
CONF

started=1
if ! pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >/dev/null; then
  cat "$PG_LOG" >&2 || true
  echo "ERROR: the PostgreSQL server did not start" >&2
  exit 1
fi
pg "$PG_BIN/createdb" -h "$PG_DIR" -U postgres dynamic_framework

export DATABASE_URL="postgresql://postgres@/dynamic_framework?host=$PG_DIR"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') running in $PG_DIR (Unix socket only)"

set +e
"$@"
status=$?
set -e
exit "$status"
