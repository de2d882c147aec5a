#!/usr/bin/env bash
# make image: build the anxin container image (deploy/image/Dockerfile) with
# docker or podman, whichever can build here. ANXIN_IMAGE names it (default
# anxin:<git describe>); CONTAINER_ENGINE forces one engine.
source "$(dirname "$0")/lib.sh"

version=$(git describe --tags --always --dirty 2>/dev/null || echo dev)
image=${ANXIN_IMAGE:-anxin:$version}

can_build() { # an engine that is installed and whose daemon or runtime answers
	command -v "$1" >/dev/null 2>&1 && "$1" info >/dev/null 2>&1
}
engine=${CONTAINER_ENGINE:-}
if [ -z "$engine" ]; then
	for e in docker podman; do
		if can_build "$e"; then engine=$e; break; fi
	done
fi
if [ -z "$engine" ] || ! can_build "$engine"; then
	echo "image.sh: no container engine can build here: docker and podman are missing or their daemon does not answer ('docker info' / 'podman info' fail)." >&2
	echo "image.sh: install one (or start its daemon) and run make image again; CONTAINER_ENGINE=podman picks one." >&2
	exit 1
fi
echo "image.sh: $engine build -t $image ($version)" >&2
"$engine" build -f deploy/image/Dockerfile \
	--build-arg "VERSION=$version" \
	--build-arg "GOPROXY=$(go env GOPROXY)" \
	-t "$image" .
echo "image.sh: built $image" >&2
