#!/usr/bin/env bash
# deploy/local/postgres.sh: a PostgreSQL cluster of the project's own, for
# `make run` and `make test` on a machine where nothing is set up.
#
#   deploy/local/postgres.sh start   # prints DATABASE_URL=... on stdout (last line)
#   deploy/local/postgres.sh stop
#   deploy/local/postgres.sh status
#
# The cluster lives under $ANXIN_DATA_DIR/postgres (default .data/postgres),
# listens on 127.0.0.1 only, on $ANXIN_PG_PORT (default 55432, never the
# system's 5432) or the next free port, with trust auth for local users.
# When the server binaries are missing it installs Debian's `postgresql`
# package. Run as root, the server runs as the `postgres` user (PostgreSQL
# refuses root); where that user cannot reach the checkout (a 0700 temp
# folder, say) the cluster lives under /var/lib/anxin/<hash> and
# .data/postgres is a symlink to it.
set -euo pipefail

cmd=${1:-start}
root=$(cd "$(dirname "$0")/../.." && pwd)
data_dir=${ANXIN_DATA_DIR:-$root/.data}
mkdir -p "$data_dir"
data_dir=$(cd "$data_dir" && pwd)
pgdir="$data_dir/postgres"
log() { printf 'postgres.sh: %s\n' "$*" >&2; }

find_bindir() {
	local d
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		[ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
	done
	if command -v pg_config >/dev/null 2>&1; then
		d=$(pg_config --bindir)
		[ -x "$d/initdb" ] && { echo "$d"; return 0; }
	fi
	return 1
}

bindir=$(find_bindir || true)
if [ -z "$bindir" ]; then
	[ "$cmd" = start ] || { log "no PostgreSQL server binaries"; exit 0; }
	log "PostgreSQL server binaries missing: installing Debian's postgresql package"
	if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq >&2
	$SUDO apt-get install -y -qq postgresql >&2
	# Debian's package creates and starts its own cluster on 5432; we leave
	# it alone and run ours beside it.
	bindir=$(find_bindir) || { log "installed postgresql but found no initdb"; exit 1; }
fi

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		# From /, so a checkout the postgres user cannot enter is no bother.
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

# Where the cluster's files really live (see the header).
resolve_pgdir() {
	if [ -L "$pgdir" ] || [ -d "$pgdir" ]; then
		return 0
	fi
	if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$data_dir" 2>/dev/null; then
		local real="/var/lib/anxin/$(printf '%s' "$data_dir" | sha256sum | cut -c1-16)/postgres"
		mkdir -p "$real"
		ln -sfn "$real" "$pgdir"
		log "the postgres user cannot reach $data_dir; cluster kept in $real"
	else
		mkdir -p "$pgdir"
	fi
}

port_file="$data_dir/postgres.port"

is_running() {
	[ -f "$pgdir/cluster/postmaster.pid" ] && as_pg "$bindir/pg_ctl" -D "$pgdir/cluster" status >/dev/null 2>&1
}

port_busy() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

case "$cmd" in
start)
	resolve_pgdir
	real=$(readlink -f "$pgdir")
	if [ "$(id -u)" -eq 0 ]; then chown postgres: "$real"; chmod 0700 "$real"; fi
	if [ ! -f "$pgdir/cluster/PG_VERSION" ]; then
		log "initialising a new cluster in $real/cluster"
		as_pg "$bindir/initdb" -D "$real/cluster" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
	fi
	if is_running; then
		port=$(cat "$port_file")
	else
		port=${ANXIN_PG_PORT:-55432}
		# ANXIN_PG_SETTINGS: more server settings, "name=value" words
		# (the bench's bulk load raises max_wal_size, for one).
		extra=
		for kv in ${ANXIN_PG_SETTINGS:-}; do
			case $kv in
			*=*) extra="$extra -c $kv" ;;
			*) log "ANXIN_PG_SETTINGS: $kv is not name=value"; exit 2 ;;
			esac
		done
		# Two clusters starting at once (two checkouts' make test side by
		# side) can both see a port free before either binds it: the one
		# that loses the bind moves on to the next free port.
		tries=0
		while :; do
			while port_busy "$port"; do port=$((port + 1)); done
			echo "$port" >"$port_file"
			seen=0
			if [ -f "$real/server.log" ]; then seen=$(wc -l <"$real/server.log"); fi
			if as_pg "$bindir/pg_ctl" -D "$real/cluster" -l "$real/server.log" -w -t 60 \
				-o "-p $port -k $real -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=${ANXIN_PG_FSYNC:-on} -c shared_buffers=256MB$extra" \
				start >/dev/null 2>&1; then
				break
			fi
			tries=$((tries + 1))
			if tail -n +$((seen + 1)) "$real/server.log" | grep -q "Address already in use" && [ $tries -lt 20 ]; then
				log "port $port was taken while starting; trying the next one"
				port=$((port + 1))
				continue
			fi
			log "server failed to start; its log:"
			tail -n 30 "$real/server.log" >&2
			exit 1
		done
		log "started on 127.0.0.1:$port"
	fi
	db=${ANXIN_PG_DATABASE:-anxin}
	if ! as_pg "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc "select 1 from pg_database where datname='$db'" | grep -q 1; then
		as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db"
	fi
	echo "DATABASE_URL=postgres://postgres@127.0.0.1:$port/$db?sslmode=disable"
	;;
stop)
	if [ -e "$pgdir" ] && is_running; then
		as_pg "$bindir/pg_ctl" -D "$(readlink -f "$pgdir")/cluster" -m fast -w stop >/dev/null
		log "stopped"
	fi
	;;
status)
	if [ -e "$pgdir" ] && is_running; then echo "running on port $(cat "$port_file")"; else echo "stopped"; exit 3; fi
	;;
*)
	echo "usage: $0 start|stop|status" >&2
	exit 2
	;;
esac
