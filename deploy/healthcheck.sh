#!/bin/bash
# HEALTHCHECK of the nostr-gpu-relay image: asks the health URL that the running relay or worker wrote to
# $NOSTR_HEALTH_URL_FILE (a relay's /health/ready, a worker's /health) and is healthy when it answers 200.
# Plain bash (/dev/tcp), so the image needs no curl.
set -u

file=${NOSTR_HEALTH_URL_FILE:-/tmp/nostr-gpu-relay.health-url}
if ! url=$(cat "$file" 2>/dev/null); then
    echo "not started yet: no $file"
    exit 1
fi
if [ "$url" = disabled ]; then
    echo "the health server is disabled (--health-port 0): nothing to ask"
    exit 0
fi

rest=${url#http://}
authority=${rest%%/*}
path=/${rest#*/}
host=${authority%:*}
port=${authority##*:}
host=${host#[}
host=${host%]}

if ! exec 3<>"/dev/tcp/$host/$port"; then
    echo "no connection to $authority"
    exit 1
fi
printf 'GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$authority" >&3
if ! read -r -t 5 _ status _ <&3; then
    echo "no answer from $url"
    exit 1
fi
# the body (one JSON line) follows the headers and the blank line
body=$(timeout 5 cat <&3 | tail -n 1)
echo "$url: $status $body"
[ "$status" = 200 ]
