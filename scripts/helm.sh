#!/usr/bin/env bash
# make helm: helm lint and helm template of deploy/helm/anxin, with the
# chart's defaults and with ci/test-values.yaml (every optional part on).
# The rendered manifests go to $ANXIN_HELM_OUT (default .data/helm), where
# the rendered-manifest test (deploy/manifests_test.go) reads them.
#
# Helm is built from the Go module proxy at a pinned version into
# .data/tools/helm-<version>/ (about 10 minutes the first time on a 2-core
# machine, cached afterwards); HELM=/path/to/helm uses another binary.
source "$(dirname "$0")/lib.sh"

version=v4.3.2
chart=deploy/helm/anxin
out=${ANXIN_HELM_OUT:-$root/.data/helm}
helm=${HELM:-$root/.data/tools/helm-$version/helm}

if [ ! -x "$helm" ]; then
	echo "helm.sh: building helm $version from the module proxy into $(dirname "$helm") (first time only)" >&2
	start=$(date +%s)
	mkdir -p "$(dirname "$helm")"
	GOBIN=$(dirname "$helm") go install "helm.sh/helm/v4/cmd/helm@$version"
	echo "helm.sh: helm $version built in $(($(date +%s) - start))s" >&2
fi

mkdir -p "$out"
# Helm keeps no state of its own here: no repositories, no plugins, no cache
# outside $out.
export HELM_CACHE_HOME=$out/.cache HELM_CONFIG_HOME=$out/.config HELM_DATA_HOME=$out/.share

echo "helm.sh: helm lint $chart" >&2
"$helm" lint --strict "$chart"
"$helm" lint --strict "$chart" -f "$chart/ci/test-values.yaml"

echo "helm.sh: helm template $chart > $out/rendered-{default,ci}.yaml" >&2
"$helm" template anxin "$chart" --namespace anxin >"$out/rendered-default.yaml"
"$helm" template anxin "$chart" --namespace anxin -f "$chart/ci/test-values.yaml" >"$out/rendered-ci.yaml"
