#!/usr/bin/env bash
# make lint: golangci-lint v2, pinned, from the Go module proxy.
source "$(dirname "$0")/lib.sh"
go run github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0 run ./...
