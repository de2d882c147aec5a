#!/usr/bin/env bash
# make lint: golangci-lint v2 with the root .golangci.yml. The linter is
# pinned and built once from the Go module proxy into .data/tools (as
# scripts/helm.sh does for helm); later runs reuse the binary and
# golangci-lint's own cache, so CI pays the build only on a cold machine.
source "$(dirname "$0")/lib.sh"

version=v2.15.0
tools=$root/.data/tools
bin=$tools/golangci-lint-$version
if [ ! -x "$bin" ]; then
	echo "lint.sh: building golangci-lint $version into $tools" >&2
	mkdir -p "$tools"
	GOBIN=$tools go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$version"
	mv "$tools/golangci-lint" "$bin"
fi
"$bin" run ./...
