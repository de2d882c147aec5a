#!/usr/bin/env bash
# scripts/cluster.sh: the production topology on this machine (make cluster).
#
#   3 nats-server nodes clustered with JetStream, stream WELFARE at R3
#   PostgreSQL primary + synchronous streaming standby, behind one -rw address
#   2 replicas of every service (anxin serve <service>) and 2 gateways
#
# It builds nats-server from the module version go.mod requires (Debian's is
# too old) and the anxin binary into .data/tools, then runs
# internal/cluster/cmd/anxin-cluster, which prints where everything listens.
# Ctrl-C stops it all. Stores and logs: .data/cluster (make clean-data
# removes them). Options go to the runner, e.g. --base-port 25000.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
mkdir -p .data/tools
build_tools() {
	go build -o .data/tools/nats-server github.com/nats-io/nats-server/v2
	go build -o .data/tools/anxin .
	go build -o .data/tools/anxin-cluster ./internal/cluster/cmd/anxin-cluster
}
build_tools
exec .data/tools/anxin-cluster "$@"
