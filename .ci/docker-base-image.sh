#!/usr/bin/env bash
# Makes the base image the container tests build on, without pulling anything from a registry: Debian bookworm
# (minbase) with Debian's openjdk-17-jre-headless, from the Debian mirror apt already uses, imported as
# $1 (default nostr-gpu-relay-base:bookworm-jre17). Does nothing when the image exists. Needs root, debootstrap and
# a running Docker engine.
set -euo pipefail

name=${1:-nostr-gpu-relay-base:bookworm-jre17}
if docker image inspect "$name" >/dev/null 2>&1; then
    echo "base image $name exists"
    exit 0
fi

mirror=""
if [ -r /etc/apt/sources.list.d/debian.sources ]; then
    mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
elif [ -r /etc/apt/sources.list ]; then
    mirror=$(awk '$1 == "deb" && $3 ~ /^bookworm/ { print $2; exit }' /etc/apt/sources.list)
fi
mirror=${mirror:-http://deb.debian.org/debian}

root=$(mktemp -d /tmp/nostr-base.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "debootstrap bookworm from $mirror into $root"
debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$root" "$mirror" >"$root.log" 2>&1 \
    || { tail -n 40 "$root.log"; rm -f "$root.log"; exit 1; }
rm -f "$root.log"
# what an image needs no copy of: downloaded packages and package lists
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | docker import --change 'ENV LANG=C.UTF-8' - "$name" >/dev/null
echo "base image $name: $(docker image inspect --format '{{.Size}}' "$name" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
