#!/bin/sh
# Entry point of the nostr-gpu-relay image. `relay` and `worker` (and the jar's --help/--version) run the jar with
# the given options, as the unprivileged nostr user; options alone mean `relay OPTIONS`; any other command (sh, ...)
# runs as it is.
set -eu

jar=/opt/nostr-gpu-relay/nostr-gpu-relay.jar

if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
    set -- relay "$@"
fi

case "$1" in
    relay | worker | help | --help | -h | --version | -V) ;;
    *) exec "$@" ;;
esac

# The heap default (README, "Memory") given here as an option, so that the service is this container's only JVM and
# PID 1; the jar prints nothing when JAVA_OPTS sizes the heap or NOSTR_GPU_HEAP_DEFAULT=off.
# shellcheck disable=SC2086
heap=$(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -cp "$jar" org.nostrgpu.app.HeapDefault $JAVA_OPTS)
JAVA_OPTS="$heap $JAVA_OPTS"

if [ "$(id -u)" = 0 ]; then
    # a bind-mounted /data arrives owned by whoever made it on the host: give what is not the service's to it
    if [ -d /data ]; then
        find /data \! -user nostr -exec chown nostr:nostr '{}' +
    fi
    # JAVA_OPTS is split into words on purpose (several options in one variable)
    # shellcheck disable=SC2086
    exec setpriv --reuid=nostr --regid=nostr --init-groups java $JAVA_OPTS -jar "$jar" "$@"
fi
# shellcheck disable=SC2086
exec java $JAVA_OPTS -jar "$jar" "$@"
