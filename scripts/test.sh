#!/usr/bin/env bash
# make test: the project's own PostgreSQL (a test cluster under
# .data/test, apart from make run's data), in-process nats-servers started
# by the tests themselves, every test with -race, then go vet.
source "$(dirname "$0")/lib.sh"

data=${ANXIN_TEST_DATA_DIR:-$root/.data/test}
if [ -z "${ANXIN_TEST_DATABASE_URL:-}" ]; then
	ANXIN_PG_PORT=${ANXIN_PG_PORT:-55442} ANXIN_PG_FSYNC=off ensure_postgres "$data"
	export ANXIN_TEST_DATABASE_URL=$DATABASE_URL
fi
trap 'stop_postgres "$data"' EXIT

# Browser tests drive Debian's Chromium, with CJK fonts so the Chinese pages
# render in the screenshots; install them where they are missing.
if grep -rlq --include='*_test.go' 'chromedp' . 2>/dev/null; then
	missing=()
	command -v chromium >/dev/null 2>&1 || missing+=(chromium)
	dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
	# the ledger export is opened in LibreOffice, as finance would
	command -v libreoffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
	if [ ${#missing[@]} -gt 0 ]; then
		echo "test.sh: installing ${missing[*]} for the browser tests" >&2
		if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >&2
	fi
fi

# Printed documents embed WenQuanYi Micro Hei (fonts-wqy-microhei, the
# default ANXIN_PDF_FONT), and their tests read them back with poppler's
# pdftotext and draw them with pdftoppm (poppler-utils).
missing=()
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || missing+=(fonts-wqy-microhei)
{ command -v pdftotext && command -v pdftoppm; } >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
	echo "test.sh: installing ${missing[*]} for the printed documents" >&2
	if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# The browser journeys check every page they visit with axe-core (WCAG 2.1
# A and AA); its version is pinned in the test helper, which fails the
# journeys when the file is missing.
if grep -rlq --include='*_test.go' 'chromedp' . 2>/dev/null; then
	axe_version=$(sed -n 's/^const AxeVersion = "\(.*\)"$/\1/p' services/gateway/internal/browsertest/browsertest.go)
	axe_pkg=.data/tools/node_modules/axe-core/package.json
	if ! grep -q "\"version\": \"$axe_version\"" "$axe_pkg" 2>/dev/null; then
		if ! command -v npm >/dev/null 2>&1; then
			echo "test.sh: installing nodejs and npm for axe-core" >&2
			if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
			DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -qq >&2
			DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >&2
		fi
		echo "test.sh: installing axe-core@$axe_version into .data/tools" >&2
		npm install --no-save --no-audit --no-fund --prefix .data/tools "axe-core@$axe_version" >&2
	fi
fi

# The Helm chart: helm lint and helm template (helm built once into
# .data/tools), rendered where the manifest test in deploy/ reads it.
export ANXIN_HELM_RENDERED=$root/.data/helm
ANXIN_HELM_OUT=$ANXIN_HELM_RENDERED scripts/helm.sh

# Tests keep what they save with t.ArtifactDir (the browser journeys'
# screenshots) under .data/test-output/_artifacts, one folder per test.
out=${ANXIN_TEST_OUTPUT_DIR:-$root/.data/test-output}
rm -rf "$out" && mkdir -p "$out"
echo "test.sh: go test -race ./... against $ANXIN_TEST_DATABASE_URL (artifacts in $out)" >&2
go test -race -count=1 -timeout 45m -artifacts -outputdir "$out" ./...
shots=$(find "$out" -name '*.png' 2>/dev/null | wc -l)
echo "test.sh: $shots screenshots under $out/_artifacts" >&2
echo "test.sh: go vet ./..." >&2
go vet ./...
