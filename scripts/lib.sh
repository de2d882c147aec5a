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

# run_until_stopped CMD...: runs CMD (the long-lived server) until it exits,
# or until this script or the process that started it is told to stop: then
# CMD gets SIGINT and this waits for it to finish, so the caller's EXIT trap
# runs after it (and stops PostgreSQL). Ctrl-C in a terminal signals the
# whole process group; a supervisor or an IDE's stop button may signal only
# `make`, which GNU make neither passes on nor dies of (its handler resets
# SIGINT to the default and waits for its children): parent_guard covers it.
run_until_stopped() {
	"$@" &
	local pid=$!
	# shellcheck disable=SC2064 # pid is fixed now
	trap "kill -INT $pid 2>/dev/null || true" INT TERM HUP
	parent_guard
	wait "$pid" || true
	wait "$pid" 2>/dev/null || true
	stop_parent_guard
}

# parent_guard starts a watcher that sends this script SIGTERM when its
# parent is gone, or stops catching SIGINT when it did when the script
# started (what GNU make's fatal-signal handler does before it waits for its
# children), so a signal during the build is not missed either.
guard_pid=
parent_guard() {
	local parent=$PPID me=$$ caught=$parent_sigint_at_start
	(
		trap - INT TERM HUP
		while sleep 1; do
			kill -0 "$me" 2>/dev/null || exit 0
			if ! kill -0 "$parent" 2>/dev/null; then break; fi
			if [ "$caught" = 1 ] && [ "$(catches_sigint "$parent")" = 0 ]; then break; fi
		done
		kill -TERM "$me" 2>/dev/null || true
	) &
	guard_pid=$!
}

stop_parent_guard() {
	if [ -n "$guard_pid" ]; then
		kill "$guard_pid" 2>/dev/null || true
		wait "$guard_pid" 2>/dev/null || true
		guard_pid=
	fi
}

# catches_sigint PID: 1 when the process has a handler for SIGINT (bit 1 of
# SigCgt in /proc/PID/status), else 0 (also when it cannot be read).
catches_sigint() {
	local mask
	mask=$(awk '/^SigCgt:/ {print $2}' "/proc/$1/status" 2>/dev/null || true)
	if [ -n "$mask" ] && (( (16#$mask >> 1) & 1 )); then echo 1; else echo 0; fi
}

# What the parent did with SIGINT when the script started (see parent_guard).
parent_sigint_at_start=$(catches_sigint "$PPID")
