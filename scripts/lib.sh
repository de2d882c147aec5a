# Sourced by the scripts: Go on PATH and a PostgreSQL to talk to.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export PATH="$PATH:/usr/local/go/bin:$(go env GOPATH 2>/dev/null || echo /root/go)/bin"
command -v go >/dev/null || { echo "Go is not installed (see README)" >&2; exit 1; }

# ensure_postgres DATA_DIR: sets DATABASE_URL to the project's own cluster
# under DATA_DIR unless DATABASE_URL is already set; started_pg=1 when this
# call started it.
started_pg=0
ensure_postgres() {
	local dir=$1
	if [ -n "${DATABASE_URL:-}" ]; then
		return 0
	fi
	local was_running=0
	ANXIN_DATA_DIR=$dir deploy/local/postgres.sh status >/dev/null 2>&1 && was_running=1
	local line
	line=$(ANXIN_DATA_DIR=$dir deploy/local/postgres.sh start | tail -n 1)
	export DATABASE_URL=${line#DATABASE_URL=}
	[ $was_running -eq 1 ] || started_pg=1
}

stop_postgres() {
	local dir=$1
	if [ "$started_pg" -eq 1 ]; then
		ANXIN_DATA_DIR=$dir deploy/local/postgres.sh stop || true
	fi
}
