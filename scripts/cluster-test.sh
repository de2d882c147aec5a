#!/usr/bin/env bash
# scripts/cluster-test.sh: the cluster system test (make cluster-test; CI).
#
# Builds nats-server (the go.mod version) and anxin into .data/tools, then
# runs internal/cluster's tests with ANXIN_CLUSTER_TEST=1: the topology of
# `make cluster` on ports 25000+ and 26000+, faults injected while writes go
# through both gateways, and a reconciliation table at the end. It needs
# root for the network namespace; without one it says so and freezes the
# NATS node instead. The tables are also written to
# $ANXIN_CLUSTER_REPORT_DIR when set.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
mkdir -p .data/tools
go build -o .data/tools/nats-server github.com/nats-io/nats-server/v2
go build -o .data/tools/anxin .
ANXIN_CLUSTER_TEST=1 go test -count=1 -v -timeout 15m ./internal/cluster/ "$@"
