#!/usr/bin/env bash
# Prints the home of a JDK >= 21: $JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm.
# The machine's default java may be 17, so nothing here trusts `java` on the PATH.
set -u
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}
candidates=()
[ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
for d in /usr/lib/jvm/*; do [ -d "$d" ] && candidates+=("$d"); done
best=""; best_major=0
for home in "${candidates[@]}"; do
  [ -x "$home/bin/javac" ] || continue
  major=$(java_major "$home")
  [ -n "$major" ] || continue
  if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$home"; best_major=$major; fi
  # an explicit JAVA_HOME that qualifies wins
  if [ "$home" = "${JAVA_HOME:-}" ] && [ "$major" -ge 21 ]; then echo "$home"; exit 0; fi
done
[ -n "$best" ] && { echo "$best"; exit 0; }
exit 1
