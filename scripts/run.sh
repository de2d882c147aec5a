#!/usr/bin/env bash
# make run: the whole system on one machine. PostgreSQL is the project's
# own cluster under .data/postgres unless DATABASE_URL is set; NATS runs
# embedded unless NATS_URL is set. Ctrl-C stops everything, and so does a
# SIGINT or SIGTERM sent to `make` or to this script alone; running it again
# reuses the data.
source "$(dirname "$0")/lib.sh"

data=${ANXIN_DATA_DIR:-$root/.data}
mkdir -p "$data"
export ANXIN_DATA_DIR=$data
ensure_postgres "$data"
trap 'stop_postgres "$data"' EXIT

# Printed documents embed WenQuanYi Micro Hei (docs/DEPLOY.md, "Printed
# documents"); without it everything else runs and printing answers 503.
if [ -z "${ANXIN_PDF_FONT:-}" ] && ! dpkg -s fonts-wqy-microhei >/dev/null 2>&1; then
	echo "run.sh: installing fonts-wqy-microhei for printed documents" >&2
	if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
	if ! { DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends fonts-wqy-microhei; } >&2; then
		echo "run.sh: could not install fonts-wqy-microhei: printing will answer 503 until it is installed" >&2
	fi
fi

go build -o bin/anxin .
bin/anxin migrate all
if [ ! -f "$data/seeded" ] && bin/anxin seed --help >/dev/null 2>&1; then
	bin/anxin seed demo | tee "$data/demo-logins.txt"
	touch "$data/seeded"
elif [ -f "$data/demo-logins.txt" ]; then
	cat "$data/demo-logins.txt"
fi
addr=${ANXIN_GATEWAY_ADDR:-:8080}
echo
echo "Anxin is starting: open http://localhost:${addr##*:}/  (Ctrl-C stops it)"
echo
run_until_stopped bin/anxin serve all
