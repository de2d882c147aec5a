#!/usr/bin/env bash
# make bench: the event backbone's load tool and every Go benchmark, once.
source "$(dirname "$0")/lib.sh"
data=${ANXIN_TEST_DATA_DIR:-$root/.data/test}
ANXIN_PG_PORT=${ANXIN_PG_PORT:-55442} ensure_postgres "$data"
export ANXIN_TEST_DATABASE_URL=$DATABASE_URL
trap 'stop_postgres "$data"' EXIT
go build -o bin/anxin .
bin/anxin bench bus
go test -run '^$' -bench . -benchtime 1x -count 1 ./... 2>&1 | grep -E '^(Benchmark|ok|FAIL|---)' || true
