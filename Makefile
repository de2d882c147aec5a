# Anxin: the two commands that matter are `make run` and `make test`.
# Every target delegates to scripts/ so that CI and people run the same thing.

.PHONY: run test lint bench bench-api build generate clean-data image helm cluster cluster-test

run: ## start PostgreSQL (own cluster), NATS (embedded) and every service
	@scripts/run.sh

test: ## every test against real PostgreSQL and NATS, with -race, then go vet
	@scripts/test.sh

lint: ## golangci-lint v2 with the root .golangci.yml
	@scripts/lint.sh

bench: ## the project's benchmarks and load tools, numbers on stdout
	@scripts/bench.sh

bench-api: ## anxin bench api on a fresh scale + demo seed: the journeys' table next to a raw replay of a filing's SQL
	@scripts/bench-api.sh

build: ## the anxin binary in bin/
	@go build -o bin/anxin .

generate: ## regenerate generated files; CI fails on a diff
	@go generate ./...

clean-data: ## stop the local cluster and delete .data (demo data, keys)
	@deploy/local/postgres.sh stop || true
	@rm -rf .data

image: ## the container image (deploy/image/Dockerfile) with docker or podman
	@scripts/image.sh

helm: ## helm lint and helm template of deploy/helm/anxin (helm v4.3.2 built into .data/tools)
	@scripts/helm.sh
cluster: ## the production topology here: 3 NATS, PostgreSQL + sync standby, 2 replicas of each service, 2 gateways
	@scripts/cluster.sh

cluster-test: ## the cluster system test: faults under load, then a reconciliation table
	@scripts/cluster-test.sh
