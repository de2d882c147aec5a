#!/usr/bin/env bash
# make bench-api: `anxin bench api` on a fresh database of the project's own
# PostgreSQL: migrate, a province registry of modest size (anxin seed scale),
# the demo county and its users (anxin seed demo), then the journeys and the
# raw replay of one filing's SQL. Knobs (environment):
#   BENCH_CLIENTS (8), BENCH_DURATION (10s), BENCH_MEMBERS (20000),
#   BENCH_UNITS (100); BENCH_ARGS is passed on to `anxin bench api`.
# The cluster lives in .data/bench-api (recreated on every run, so every run
# starts from the same data) and is stopped afterwards; with DATABASE_URL
# set, that database is used as it is and must be empty.
source "$(dirname "$0")/lib.sh"

data=${ANXIN_BENCH_DATA_DIR:-$root/.data/bench-api}
if [ -z "${DATABASE_URL:-}" ]; then
	ANXIN_DATA_DIR=$data deploy/local/postgres.sh stop >/dev/null 2>&1 || true
	rm -rf "$data"
fi
mkdir -p "$data"
export ANXIN_DATA_DIR=$data
# A province is a bulk load of some 20 GB of WAL: checkpoints every 1 GB
# (the default max_wal_size) would rewrite every page touched after each
# one. The bench's server keeps a larger window, as a server sized for a
# province would; the journeys run on the same settings.
export ANXIN_PG_SETTINGS=${ANXIN_PG_SETTINGS:-"max_wal_size=8GB checkpoint_timeout=30min"}
# Its own embedded NATS port, so it runs beside `make run`.
export ANXIN_NATS_PORT=${ANXIN_NATS_PORT:-14262}
ANXIN_PG_PORT=${ANXIN_PG_PORT:-55462} ensure_postgres "$data"
trap 'stop_postgres "$data"' EXIT

go build -o bin/anxin .
bin/anxin migrate all
bin/anxin seed scale --members "${BENCH_MEMBERS:-20000}" --units "${BENCH_UNITS:-100}"
bin/anxin seed demo >"$data/demo-logins.txt"
grep -q USERNAME "$data/demo-logins.txt" || { cat "$data/demo-logins.txt" >&2; echo "bench-api: the demo seed printed no logins (was the database empty?)" >&2; exit 1; }
# shellcheck disable=SC2086 # BENCH_ARGS is a list of flags
bin/anxin bench api -c "${BENCH_CLIENTS:-8}" -d "${BENCH_DURATION:-10s}" --logins "$data/demo-logins.txt" ${BENCH_ARGS:-}
