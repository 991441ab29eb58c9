#!/usr/bin/env bash
# Measures PolicyGate beside HAProxy, nginx, a bare YARP proxy and direct-to-backend, on loopback, in one run.
# usage: load/compare.sh [--quick] [--rounds N] [--duration 4s] [--warmup 1s] [--only SCENARIO[,SCENARIO]] [--policygate-dll PATH]
#   --quick: 1 round, short runs (< 3 minutes); default: 5 alternating rounds (< 20 minutes).
#   --policygate-dll: measure another (already built) policygate.dll instead of building src/PolicyGate.
#   --policygate-env "K=V ...": extra environment for the PolicyGate process (experiments, e.g. runtime knobs).
#   --profile: after the rounds, run each PolicyGate scenario once more under `perf record` (JIT frames named through
#              DOTNET_PerfMapEnabled); summaries in <reports>/profiles/ (not part of the ratios).
# Writes load/reports/<UTC time>/ (runs/*.md|csv|json, results.jsonl, comparison.md|csv|json) and prints the table.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

QUICK=0; ROUNDS=5; DURATION=4s; WARMUP=1s; ONLY=""; QUIET_WAIT=30; PG_DLL=""; PROFILE=0; PG_ENV=()
BUILD=(src/PolicyGate load/PolicyGate.Load load/BareYarp)
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; ROUNDS=1; DURATION=1500ms; WARMUP=500ms; QUIET_WAIT=5; shift ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --only) ONLY=",$2,"; shift 2 ;;
    --policygate-dll) PG_DLL="$(realpath "$2")"; BUILD=(load/PolicyGate.Load load/BareYarp); shift 2 ;;
    --profile) PROFILE=1; shift ;;
    --policygate-env) read -r -a PG_ENV <<<"$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$ROUNDS" in ''|*[!0-9]*) echo "compare.sh: --rounds needs a number" >&2; exit 2 ;; esac
[ "$ROUNDS" -ge 1 ] && [ "$ROUNDS" -le 20 ] || { echo "compare.sh: --rounds must be 1..20" >&2; exit 2; }

# ---------------------------------------------------------------- tools
PACKAGES=(haproxy nginx libnginx-mod-stream openssl curl python3)
[ "$PROFILE" -eq 1 ] && PACKAGES+=(linux-perf)
"$ROOT/scripts/install-packages.sh" "${PACKAGES[@]}"

# ---------------------------------------------------------------- processes and cleanup
RUN="$(mktemp -d /tmp/pg-load.XXXXXX)"
PIDS=()
cleanup() {
  set +e
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for _ in $(seq 1 50); do
    alive=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && break
    sleep 0.1
  done
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  if [ -n "${REPORTS:-}" ] && [ -d "$REPORTS" ]; then
    mkdir -p "$REPORTS/logs" && cp "$RUN"/*.log "$RUN"/*.conf "$RUN"/*.cfg "$RUN"/*.toml "$REPORTS/logs/" 2>/dev/null
  fi
  rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_port() { # PORT PID NAME: bounded wait (15 s) for a listener, failing early if the process died
  for _ in $(seq 1 150); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || { echo "$3 exited early" >&2; return 1; }
    sleep 0.1
  done
  echo "$3 did not listen on $1 within 15 s" >&2
  return 1
}

# ---------------------------------------------------------------- build
echo "== build (Release)"
for project in "${BUILD[@]}"; do
  dotnet build "$project" -c Release -nologo -v quiet >"$RUN/build.log" 2>&1 || { tail -20 "$RUN/build.log"; exit 1; }
done
LOAD="dotnet load/PolicyGate.Load/bin/Release/net10.0/policygate-load.dll"
[ -n "$PG_DLL" ] || PG_DLL="src/PolicyGate/bin/Release/net10.0/policygate.dll"
BY_DLL="load/BareYarp/bin/Release/net10.0/bareyarp.dll"

# ---------------------------------------------------------------- certificates, files, ports
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=*.localhost" \
  -addext "subjectAltName=DNS:*.localhost,DNS:localhost" -keyout "$RUN/key.pem" -out "$RUN/cert.pem" 2>/dev/null
cat "$RUN/cert.pem" "$RUN/key.pem" >"$RUN/haproxy.pem"
mkdir -p "$RUN/www" "$RUN/tmp" "$RUN/tenants"
BULK_MB=64; [ "$QUICK" -eq 1 ] && BULK_MB=16
python3 - "$RUN/www" <<'PY'
import sys, os
words = "alpha beta gamma delta epsilon zeta theta kappa lambda omicron sigma omega".split()
def body(size):
    items, i = [], 0
    while True:
        item = '{"id":%d,"name":"%s %s","tags":["%s","%s"],"ok":true}' % (i % 97, words[i % 12], words[(i * 5) % 12], words[(i * 7) % 12], words[(i * 3) % 12])
        candidate = '{"items":[' + ",".join(items + [item]) + ']}'
        if len(candidate) > size - 16: break
        items.append(item); i += 1
    text = '{"items":[' + ",".join(items) + '],"pad":"'
    return (text + " " * (size - len(text) - 2) + '"}')
for name, size in (("1k.json", 1024), ("64k.json", 65536)):
    data = body(size).encode()
    assert len(data) == size, (name, len(data))
    open(os.path.join(sys.argv[1], name), "wb").write(data)
PY
head -c "$((BULK_MB * 1024 * 1024))" /dev/urandom >"$RUN/www/bulk.bin"
openssl rand -hex 24 >"$RUN/admin.token"
cp load/peers/tenants/*.toml "$RUN/tenants/"
# nginx workers drop root: let them read the files (the key stays with the master).
chmod 755 "$RUN" "$RUN/www" "$RUN/tmp"; chmod 644 "$RUN"/www/*

read -r BACKEND_HTTP BACKEND_TLS BACKEND_TLS_PP HA_PT HA_PT_PP HA_TERM NG_PT NG_PT_PP NG_TERM BY_PORT PG_EDGE PG_ADMIN PG_METRICS PG_EGRESS < <(python3 - <<'PY'
import socket
socks = []
for _ in range(14):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
)
fill() { # TEMPLATE OUT
  sed -e "s|@RUN@|$RUN|g" -e "s|@CERT@|$RUN/cert.pem|g" -e "s|@KEY@|$RUN/key.pem|g" -e "s|@PEM@|$RUN/haproxy.pem|g" \
      -e "s|@WWW@|$RUN/www|g" -e "s|@BACKEND_HTTP@|$BACKEND_HTTP|g" -e "s|@BACKEND_TLS@|$BACKEND_TLS|g" \
      -e "s|@BACKEND_TLS_PP@|$BACKEND_TLS_PP|g" -e "s|@HA_PT@|$HA_PT|g" -e "s|@HA_PT_PP@|$HA_PT_PP|g" -e "s|@HA_TERM@|$HA_TERM|g" \
      -e "s|@NG_PT@|$NG_PT|g" -e "s|@NG_PT_PP@|$NG_PT_PP|g" -e "s|@NG_TERM@|$NG_TERM|g" -e "s|@PG_EDGE@|$PG_EDGE|g" \
      -e "s|@PG_ADMIN@|$PG_ADMIN|g" -e "s|@PG_METRICS@|$PG_METRICS|g" -e "s|@PG_EGRESS@|$PG_EGRESS|g" "$1" >"$2"
}
fill load/peers/backend-nginx.conf "$RUN/backend-nginx.conf"
fill load/peers/haproxy.cfg "$RUN/haproxy.cfg"
fill load/peers/nginx-peer.conf "$RUN/nginx-peer.conf"
fill load/peers/policygate.toml "$RUN/policygate.toml"

# ---------------------------------------------------------------- start everything
echo "== start backend and peers"
# nginx runs under its own name so that a `pkill -x nginx` elsewhere on the machine (scripts/test.sh does one) spares it.
ln -s "$(command -v nginx)" "$RUN/pgload-nginx"
declare -A PID_OF NA_REASON
start() { # NAME PORT LOG CMD...: starts in the background, records the pid, waits for the port
  local name="$1" port="$2" log="$3"; shift 3
  "$@" >"$log" 2>&1 &
  local pid=$!
  PIDS+=("$pid"); PID_OF[$name]=$pid
  if ! wait_port "$port" "$pid" "$name"; then
    NA_REASON[$name]="$name did not start or did not listen on its configured port: $(grep -v '^\s*$' "$log" | tail -1 | cut -c1-120)"
    return 1
  fi
}
start backend "$BACKEND_TLS" "$RUN/backend.log" "$RUN/pgload-nginx" -p "$RUN" -c "$RUN/backend-nginx.conf" || { cat "$RUN/backend.log"; exit 1; }
start haproxy "$HA_TERM" "$RUN/haproxy.log" haproxy -db -f "$RUN/haproxy.cfg" || true
start nginx "$NG_TERM" "$RUN/nginx-peer.log" "$RUN/pgload-nginx" -p "$RUN" -c "$RUN/nginx-peer.conf" || true
start bare-yarp "$BY_PORT" "$RUN/bareyarp.log" dotnet "$BY_DLL" --listen "127.0.0.1:$BY_PORT" --cert "$RUN/cert.pem" --key "$RUN/key.pem" --backend "http://127.0.0.1:$BACKEND_HTTP" || true
PERFMAP=(); [ "$PROFILE" -eq 1 ] && PERFMAP=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)
start_policygate() { # LOG
  start policygate "$PG_ADMIN" "$1" env "${PERFMAP[@]}" "${PG_ENV[@]}" dotnet "$PG_DLL" serve --config "$RUN/policygate.toml"
}
# PolicyGate found dead before or after a run is restarted (its instances persist in its data dir), at most 5 times.
RESTARTS=0
ensure_policygate() {
  kill -0 "${PID_OF[policygate]}" 2>/dev/null && return 0
  RESTARTS=$((RESTARTS + 1))
  echo "   policygate (pid ${PID_OF[policygate]}) is gone: $(grep -v '^\s*$' "$RUN"/policygate*.log | tail -1 | cut -c1-120); restart $RESTARTS" | tee -a "$REPORTS/restarts.log"
  if [ "$RESTARTS" -gt 5 ] || ! start_policygate "$RUN/policygate.restart$RESTARTS.log"; then
    NA_REASON[policygate]="policygate kept stopping during the run (restarted $RESTARTS times; see restarts.log)"
    return 1
  fi
}
if [ -f "$PG_DLL" ]; then
  start_policygate "$RUN/policygate.log" || true
else
  NA_REASON[policygate]="$PG_DLL not built"
fi

# Registers the PolicyGate instances (DESIGN §10) and probes each feature with curl; a failing probe makes its targets n/a.
TOKEN="$(cat "$RUN/admin.token")"
register() { # BODY → prints HTTP status
  curl -s -o "$RUN/register.out" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    --data "$1" "http://127.0.0.1:$PG_ADMIN/api/v1/instances" || true
}
probe() { # FEATURE URL [curl args...]: n/a reason unless the answer is 200
  local feature="$1" url="$2"; shift 2
  local code
  : >"$RUN/probe.out"; : >"$RUN/probe.err"
  code=$(curl -sSk -o "$RUN/probe.out" -w '%{http_code}' --max-time 5 "$@" "$url" 2>"$RUN/probe.err") || true
  if [ "$code" != "200" ]; then
    NA_REASON[$feature]="PolicyGate $feature probe: HTTP ${code:-000} $(cat "$RUN/probe.err" "$RUN/probe.out" 2>/dev/null | tr '\n|' '  ' | tr -s ' ' | cut -c1-100)"
  fi
}
sni() { echo "$1.localhost"; }
PT_SNI="$(sni "pgoff-${BACKEND_TLS}s")"; PP_SNI="$(sni "pgoff-${BACKEND_TLS_PP}s")"
OFF_SNI="$(sni "pgoff-${BACKEND_HTTP}")"; BLK_SNI="$(sni "pgblk-${BACKEND_HTTP}")"
if [ -z "${NA_REASON[policygate]:-}" ]; then
  OFF_POLICY="\"port_policy\":{\"restrict_mode\":true,\"ports\":[{\"port\":$BACKEND_TLS,\"protocol\":\"tcp\"},{\"port\":$BACKEND_TLS_PP,\"pp\":true,\"protocol\":\"tcp\"},{\"port\":$BACKEND_HTTP,\"protocol\":\"http\"}]}"
  code=$(register "{\"instance_id\":\"pgoff\",\"app_id\":\"pgoff\",\"tenant_id\":\"off\",\"address\":\"127.0.0.1\",$OFF_POLICY}")
  if [ "$code" = "400" ] && grep -q 'tenant' "$RUN/register.out"; then
    # A build without the tenant catalog: measure everything else under the default tenant, and say so.
    echo "   note: $(cat "$RUN/register.out"): pgoff registered under the default tenant (no per-tenant inspection on this build)"
    code=$(register "{\"instance_id\":\"pgoff\",\"app_id\":\"pgoff\",\"address\":\"127.0.0.1\",$OFF_POLICY}")
  fi
  [ "$code" = "200" ] || NA_REASON[policygate]="admin API POST /api/v1/instances answered $code $(head -c 100 "$RUN/register.out")"
  code=$(register "{\"instance_id\":\"pgblk\",\"app_id\":\"pgblk\",\"tenant_id\":\"block\",\"address\":\"127.0.0.1\",\"port_policy\":{\"restrict_mode\":true,\"ports\":[{\"port\":$BACKEND_HTTP,\"protocol\":\"http\"}]}}")
  [ "$code" = "200" ] || NA_REASON[block]="registering the block-mode instance answered $code $(head -c 100 "$RUN/register.out")"
fi
if [ -z "${NA_REASON[policygate]:-}" ]; then
  probe passthrough "https://$PT_SNI:$PG_EDGE/1k.json" --resolve "$PT_SNI:$PG_EDGE:127.0.0.1"
  probe pp "https://$PP_SNI:$PG_EDGE/1k.json" --resolve "$PP_SNI:$PG_EDGE:127.0.0.1"
  probe http "https://$OFF_SNI:$PG_EDGE/1k.json" --resolve "$OFF_SNI:$PG_EDGE:127.0.0.1"
  [ -n "${NA_REASON[block]:-}" ] || probe block "https://$BLK_SNI:$PG_EDGE/1k.json" --resolve "$BLK_SNI:$PG_EDGE:127.0.0.1"
  if (exec 3<>"/dev/tcp/127.0.0.1/$PG_EGRESS") 2>/dev/null; then
    probe egress "http://127.0.0.1:$BACKEND_HTTP/1k.json" -p -x "http://127.0.0.1:$PG_EGRESS"
  else
    NA_REASON[egress]="egress listener not up (egress proxy not on this build)"
  fi
fi
for k in "${!NA_REASON[@]}"; do echo "   n/a: $k — ${NA_REASON[$k]}"; done

# ---------------------------------------------------------------- scenarios
# scenario|target|feature|client|port|sni|path|sim|metric|extra   (feature: key of NA_REASON that must be empty; "-" = none)
PG="policygate"
SCENARIOS=(
  "client-cost|https-raw|-|https-raw|$BACKEND_TLS|direct.localhost|/1k.json|closed:32|rps|"
  "client-cost|https-client|-|https-client|$BACKEND_TLS|direct.localhost|/1k.json|closed:32|rps|"
  "pt-bulk|direct|-|https-raw|$BACKEND_TLS|direct.localhost|/bulk.bin|closed:2|mbps|"
  "pt-bulk|haproxy|haproxy|https-raw|$HA_PT|direct.localhost|/bulk.bin|closed:2|mbps|"
  "pt-bulk|nginx|nginx|https-raw|$NG_PT|direct.localhost|/bulk.bin|closed:2|mbps|"
  "pt-bulk|$PG|passthrough|https-raw|$PG_EDGE|$PT_SNI|/bulk.bin|closed:2|mbps|"
  "pt-newconn|direct|-|tls-connect|$BACKEND_TLS|direct.localhost|/1k.json|closed:8|rps|"
  "pt-newconn|haproxy|haproxy|tls-connect|$HA_PT|direct.localhost|/1k.json|closed:8|rps|"
  "pt-newconn|nginx|nginx|tls-connect|$NG_PT|direct.localhost|/1k.json|closed:8|rps|"
  "pt-newconn|$PG|passthrough|tls-connect|$PG_EDGE|$PT_SNI|/1k.json|closed:8|rps|"
  "pt-newconn-pp|haproxy|haproxy|tls-connect|$HA_PT_PP|direct.localhost|/1k.json|closed:8|rps|"
  "pt-newconn-pp|nginx|nginx|tls-connect|$NG_PT_PP|direct.localhost|/1k.json|closed:8|rps|"
  "pt-newconn-pp|$PG|pp|tls-connect|$PG_EDGE|$PP_SNI|/1k.json|closed:8|rps|"
  "https-1k|direct|-|https-raw|$BACKEND_TLS|direct.localhost|/1k.json|closed:32|rps|"
  "https-1k|haproxy|haproxy|https-raw|$HA_TERM|direct.localhost|/1k.json|closed:32|rps|"
  "https-1k|nginx|nginx|https-raw|$NG_TERM|direct.localhost|/1k.json|closed:32|rps|"
  "https-1k|bare-yarp|bare-yarp|https-raw|$BY_PORT|direct.localhost|/1k.json|closed:32|rps|"
  "https-1k|$PG-off|http|https-raw|$PG_EDGE|$OFF_SNI|/1k.json|closed:32|rps|"
  "https-1k|$PG-block|block|https-raw|$PG_EDGE|$BLK_SNI|/1k.json|closed:32|rps|"
  "https-64k|direct|-|https-raw|$BACKEND_TLS|direct.localhost|/64k.json|closed:16|rps|"
  "https-64k|haproxy|haproxy|https-raw|$HA_TERM|direct.localhost|/64k.json|closed:16|rps|"
  "https-64k|nginx|nginx|https-raw|$NG_TERM|direct.localhost|/64k.json|closed:16|rps|"
  "https-64k|bare-yarp|bare-yarp|https-raw|$BY_PORT|direct.localhost|/64k.json|closed:16|rps|"
  "https-64k|$PG-off|http|https-raw|$PG_EDGE|$OFF_SNI|/64k.json|closed:16|rps|"
  "https-64k|$PG-block|block|https-raw|$PG_EDGE|$BLK_SNI|/64k.json|closed:16|rps|"
  "egress-connect|direct|-|tls-connect|$BACKEND_HTTP|-|/1k.json|closed:8|rps|--plain"
  "egress-connect|$PG|egress|connect-tunnel|$PG_EGRESS|-|/1k.json|closed:8|rps|--tunnel-to 127.0.0.1:$BACKEND_HTTP"
)
# Targets that cannot take part in a scenario at all, with the reason (reported as n/a in every round).
STATIC_NA=(
  "pt-bulk|bare-yarp|a terminating HTTP proxy has no TLS passthrough"
  "pt-newconn|bare-yarp|a terminating HTTP proxy has no TLS passthrough"
  "pt-newconn-pp|direct|the client sends no PROXY header"
  "egress-connect|haproxy|not a forward (CONNECT) proxy"
  "egress-connect|nginx|not a forward (CONNECT) proxy"
  "egress-connect|bare-yarp|not a forward (CONNECT) proxy"
)

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"; [ "$QUICK" -eq 1 ] && STAMP="$STAMP-quick"
REPORTS="$ROOT/load/reports/$STAMP"
mkdir -p "$REPORTS"
export DOTNET_TieredPGO=1

# Waits (bounded) until the machine's busy share over one second is below 20 %; says so when it gives up.
wait_quiet() {
  local tries=$1 busy=100
  for _ in $(seq 1 "$tries"); do
    read -r _ u n s i w q sq st _ < /proc/stat; local b1=$((u + n + s + q + sq + st)) t1=$((u + n + s + i + w + q + sq + st))
    sleep 1
    read -r _ u n s i w q sq st _ < /proc/stat; local b2=$((u + n + s + q + sq + st)) t2=$((u + n + s + i + w + q + sq + st))
    busy=$(( (b2 - b1) * 100 / ( t2 - t1 > 0 ? t2 - t1 : 1) ))
    [ "$busy" -lt 20 ] && return 0
  done
  echo "   machine still ${busy}% busy after ${tries}s (load $(cut -d' ' -f1-3 /proc/loadavg)); runs may be flagged DISTURBED"
}

run_one() { # ROUND ENTRY [OUT]
  local round="$1" out="${3:-$REPORTS}"
  IFS='|' read -r scenario target feature client port sniname path sim metric extra <<<"$2"
  if [ -n "$ONLY" ] && [[ "$ONLY" != *",$scenario,"* ]]; then return 0; fi
  local reason="${NA_REASON[policygate]:-}"
  [[ "$target" == "$PG"* ]] || reason=""
  [ "$feature" != "-" ] && [ -z "$reason" ] && reason="${NA_REASON[$feature]:-}"
  if [ -n "$reason" ]; then
    $LOAD na --scenario "$scenario" --target "$target" --round "$round" --metric "$metric" --reason "$reason" --out "$REPORTS" >/dev/null
    return 0
  fi
  local proxy=() tls=()
  case "$target" in
    direct|https-raw|https-client) ;;
    $PG*) proxy=(--proxy-pid "${PID_OF[policygate]}") ;;
    *) proxy=(--proxy-pid "${PID_OF[$target]}") ;;
  esac
  [ "$sniname" != "-" ] && tls=(--sni "$sniname")
  # A PolicyGate run that loses its process (stopped from outside) is discarded and made again once after a restart.
  local pending="$out/.pending" attempts=1 attempt
  [[ "$target" == "$PG"* ]] && attempts=2
  for attempt in $(seq 1 "$attempts"); do
    if [[ "$target" == "$PG"* ]]; then
      if ! kill -0 "${PID_OF[policygate]}" 2>/dev/null; then
        ensure_policygate || { run_one "$round" "$2" "$out"; return 0; }
        DURATION=2s run_once "$REPORTS/warmup" >/dev/null  # JIT warm-up of the restarted process
      fi
      proxy=(--proxy-pid "${PID_OF[policygate]}")
    fi
    rm -rf "$pending"
    run_once "$pending"
    [[ "$target" == "$PG"* ]] && ! kill -0 "${PID_OF[policygate]}" 2>/dev/null && [ "$attempt" -lt "$attempts" ] && continue
    break
  done
  mkdir -p "$out/runs"
  cat "$pending/results.jsonl" >>"$out/results.jsonl" 2>/dev/null || true
  mv "$pending"/runs/* "$out/runs/" 2>/dev/null || true
  rm -rf "$pending"
}
run_once() { # OUT (uses run_one's locals)
  # shellcheck disable=SC2086
  $LOAD run --scenario "$scenario" --target "$target" --client "$client" --connect "127.0.0.1:$port" "${tls[@]}" \
    --path "$path" --sim "$sim" --metric "$metric" --warmup "$WARMUP" --duration "$DURATION" --round "$round" \
    "${proxy[@]}" --backend-pid "${PID_OF[backend]}" --out "$1" $extra 2>>"$REPORTS/progress.log" || true
}

echo "== $ROUNDS round(s), $DURATION per run after $WARMUP warm-up; reports in $REPORTS"
START=$(date +%s)
# JIT warm-up (not measured): the .NET targets run every scenario once so tiered compilation settles before round 1.
echo "-- JIT warm-up of bare-yarp and PolicyGate (not measured)"
SAVED_DURATION="$DURATION"; DURATION=5s; [ "$QUICK" -eq 1 ] && DURATION=1s
for entry in "${SCENARIOS[@]}"; do
  IFS='|' read -r _ target _ <<<"$entry"
  if [[ "$target" == "$PG"* || "$target" == bare-yarp ]]; then run_one 0 "$entry" "$REPORTS/warmup" >/dev/null; fi
done
DURATION="$SAVED_DURATION"
for round in $(seq 1 "$ROUNDS"); do
  echo "-- round $round"
  wait_quiet "$QUIET_WAIT"
  for entry in "${STATIC_NA[@]}"; do
    IFS='|' read -r scenario target reason <<<"$entry"
    if [ -z "$ONLY" ] || [[ "$ONLY" == *",$scenario,"* ]]; then
      $LOAD na --scenario "$scenario" --target "$target" --round "$round" --reason "$reason" --out "$REPORTS" >/dev/null
    fi
  done
  # Alternate: rotate the order of the runs inside every scenario from round to round.
  n=${#SCENARIOS[@]}
  i=0
  while [ $i -lt $n ]; do
    scenario="${SCENARIOS[$i]%%|*}"
    group=()
    while [ $i -lt $n ] && [ "${SCENARIOS[$i]%%|*}" = "$scenario" ]; do group+=("${SCENARIOS[$i]}"); i=$((i + 1)); done
    [ "$scenario" = "client-cost" ] && [ "$round" -gt 1 ] && continue
    g=${#group[@]}
    for k in $(seq 0 $((g - 1))); do
      run_one "$round" "${group[$(( (k + round - 1) % g ))]}"
    done
  done
done
echo "== done in $(( $(date +%s) - START ))s"

# Profiles: one extra run per PolicyGate scenario under perf (CPU samples of every thread, JIT frames via the perf map).
if [ "$PROFILE" -eq 1 ] && [ -z "${NA_REASON[policygate]:-}" ]; then
  PROF="$REPORTS/profiles"; mkdir -p "$PROF"
  for entry in "${SCENARIOS[@]}"; do
    IFS='|' read -r scenario target feature _ <<<"$entry"
    [[ "$target" == "$PG"* ]] || continue
    [ -z "$ONLY" ] || [[ "$ONLY" == *",$scenario,"* ]] || continue
    [ -z "${NA_REASON[$feature]:-}" ] || continue
    name="${scenario}__${target}"
    echo "-- profile $name"
    perf record -F 499 -g -p "${PID_OF[policygate]}" -o "$PROF/$name.perf.data" >/dev/null 2>&1 &
    perf_pid=$!; PIDS+=("$perf_pid")
    sleep 0.5
    run_one 0 "$entry" "$PROF"
    kill -INT "$perf_pid" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$perf_pid" 2>/dev/null || break; sleep 0.1; done
    perf report -i "$PROF/$name.perf.data" --stdio --no-children -g none --sort dso --percent-limit 1 2>/dev/null | grep '%' >"$PROF/$name.dso.txt" || true
    perf report -i "$PROF/$name.perf.data" --stdio --no-children -g none --sort dso,sym --percent-limit 0.5 2>/dev/null | grep '%' | cut -c1-200 >"$PROF/$name.sym.txt" || true
    perf report -i "$PROF/$name.perf.data" --stdio --children -g none --sort sym --percent-limit 3 2>/dev/null | grep '%' | cut -c1-200 >"$PROF/$name.inclusive.txt" || true
    [ "${KEEP_PERF:-0}" = 1 ] || rm -f "$PROF/$name.perf.data"
    echo "   top: $(head -3 "$PROF/$name.dso.txt" | tr -s ' ' | tr '\n' ';')"
  done
fi
$LOAD compare --out "$REPORTS" --pair pt-newconn:pt-newconn-pp \
  --title "PolicyGate vs peers — $STAMP, $ROUNDS round(s) × $DURATION, $(nproc) cores, load at end $(cut -d' ' -f1-3 /proc/loadavg)"
