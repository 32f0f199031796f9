#!/usr/bin/env bash
# Prints the home of the newest JDK under /usr/lib/jvm whose major version is above the given one (default:
# that of `java` on the PATH); exits 1 when there is none.
set -u
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}
floor=${1:-$(java_major java)}
best=""; best_major=$floor
for home in /usr/lib/jvm/*; do
  [ -x "$home/bin/java" ] && [ ! -L "$home" ] || continue
  major=$(java_major "$home/bin/java")
  [ -n "$major" ] || continue
  if [ "$major" -gt "$best_major" ]; then best=$home; best_major=$major; fi
done
[ -n "$best" ] && { echo "$best"; exit 0; }
exit 1
