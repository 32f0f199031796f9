#!/usr/bin/env bash
# Installs Debian's Chromium for the status page's browser test (StatusPageBrowserIT), unless one is present.
# The test drives it through the DevTools protocol over a WebSocket (no driver package is needed); without a
# Chromium it skips, except under CI=true, where it fails: this script is what keeps it from skipping in CI.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "chromium: $(chromium --version 2>/dev/null | sed -n 1p)"
  exit 0
fi
start=$(date +%s)
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "chromium: $(chromium --version 2>/dev/null | sed -n 1p), installed in $(( $(date +%s) - start )) s"
