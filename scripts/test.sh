#!/usr/bin/env bash
# Installs what the tests need (idempotent), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the interop/functional tests use (real peers, not mocks).
# systemd: systemd-analyze for the unit's security score (deploy/systemd).
PACKAGES=(haproxy nginx libnginx-mod-stream openssl curl postgresql python3 iproute2 procps chromium fonts-dejavu-core prometheus pebble systemd)
scripts/install-packages.sh "${PACKAGES[@]}"
# Package post-install scripts may start system daemons; tests start their own instances on free ports.
# Stop only those package daemons (by their service or pid file), never other processes by name.
for svc in nginx haproxy prometheus; do
  systemctl stop "$svc" 2>/dev/null || service "$svc" stop >/dev/null 2>&1 || true
  pidfile="/run/$svc.pid"
  if [ -s "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; fi
done

dotnet build PolicyGate.sln -c Release -nologo -v quiet
rm -rf TestResults
status=0
# Scan-throughput benchmarks (Category=Perf) are measurements, not tests: load/compare.sh runs them.
dotnet test PolicyGate.sln -c Release --no-build -nologo --filter "${TEST_FILTER:-Category!=Perf}" \
  --logger "trx" --results-directory TestResults "$@" || status=$?

# Detection quality on the labelled corpus (tests/corpus), written by DetectionCorpusTests.
if [ -f TestResults/detection-scores.md ]; then cat TestResults/detection-scores.md; fi

# One plain summary line over every test project.
python3 - <<'PY' || true
import glob, xml.etree.ElementTree as ET
p = f = s = 0
for path in glob.glob("TestResults/*.trx"):
    c = ET.parse(path).getroot().find(".//{*}Counters")
    if c is None: continue
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    s += int(c.get("notExecuted", 0))
print(f"{p} passed, {f} failed, {s} skipped")
PY
exit $status
