#!/usr/bin/env bash
# Sourced by .ci/run: makes a Docker engine available for the container tests (ClusterContainersIT, ComposeIT).
# Installs the engine, Compose v1 and debootstrap if missing, starts dockerd if none answers (its PID in
# DOCKERD_PID, for .ci/run to stop), builds the local base image and exports what the tests need. Nothing is pulled
# from a registry: the base image is made from Debian packages.

if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker-compose >/dev/null 2>&1 \
        || ! command -v debootstrap >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends docker.io docker-compose debootstrap >/dev/null
fi

DOCKERD_PID=""
if ! docker info >/dev/null 2>&1; then
    dockerd >/tmp/ci-dockerd.log 2>&1 &
    DOCKERD_PID=$!
    for _ in $(seq 1 60); do
        docker info >/dev/null 2>&1 && break
        if ! kill -0 "$DOCKERD_PID" 2>/dev/null; then
            echo "dockerd exited:"; tail -n 30 /tmp/ci-dockerd.log; exit 1
        fi
        sleep 1
    done
    docker info >/dev/null 2>&1 || { echo "dockerd did not answer within 60 s:"; tail -n 30 /tmp/ci-dockerd.log; exit 1; }
fi
echo "Docker engine $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')," \
    "$(docker-compose version --short 2>/dev/null | sed 's/^/Compose /')"

export BASE_IMAGE=${BASE_IMAGE:-nostr-gpu-relay-base:bookworm-jre17}
bash .ci/docker-base-image.sh "$BASE_IMAGE"
# the tests run on this machine and reach the containers' published ports on it (without this, Testcontainers sees
# /.dockerenv, assumes it runs inside a container and looks for them at the default gateway)
export TESTCONTAINERS_HOST_OVERRIDE=localhost
export TESTCONTAINERS_RYUK_DISABLED=true
