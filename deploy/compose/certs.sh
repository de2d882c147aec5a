#!/usr/bin/env bash
# Makes what deploy/compose needs under secrets/ and never overwrites any of
# it: a CA and PostgreSQL's server certificate for the host name "postgres"
# (so anxin connects with sslmode=verify-full), the PostgreSQL password (.env), and
# anxin's keys file (anxin keys new). Needs openssl and Go or an anxin binary.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p secrets && chmod 700 secrets
cd secrets
if [ ! -f ca.crt ]; then
	openssl req -new -x509 -nodes -days 3650 -subj "/CN=anxin compose CA" \
		-newkey rsa:3072 -keyout ca.key -out ca.crt 2>/dev/null
	openssl req -new -nodes -subj "/CN=postgres" -newkey rsa:3072 \
		-keyout postgres-server.key -out postgres-server.csr 2>/dev/null
	printf 'subjectAltName=DNS:postgres\nextendedKeyUsage=serverAuth\n' >san.ext
	openssl x509 -req -in postgres-server.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
		-days 825 -extfile san.ext -out postgres-server.crt 2>/dev/null
	rm -f postgres-server.csr san.ext ca.srl
	echo "certs.sh: CA and PostgreSQL server certificate in $(pwd)"
fi
# PostgreSQL (uid 999 in the postgres image) reads its key only when it is
# not readable by others.
chmod 600 postgres-server.key ca.key
[ "$(id -u)" -eq 0 ] && chown 999:999 postgres-server.key
# compose reads ../.env: the PostgreSQL password both sides use.
if [ ! -f ../.env ]; then
	umask 077
	printf 'POSTGRES_PASSWORD=%s\n' "$(openssl rand -hex 24)" >../.env
	echo "certs.sh: PostgreSQL password in deploy/compose/.env; add ANXIN_IMAGE=<the image make image built> there"
fi
if [ ! -f keys.json ]; then
	if command -v anxin >/dev/null 2>&1; then
		anxin keys new keys.json
	else
		(cd ../../.. && go run . keys new deploy/compose/secrets/keys.json)
	fi
fi
# The anxin containers run as uid 65532 and read these two.
chmod 644 ca.crt
[ "$(id -u)" -eq 0 ] && chown 65532:65532 keys.json
echo "certs.sh: done; back up keys.json apart from the database"
