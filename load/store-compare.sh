#!/usr/bin/env bash
# Edge new-connection throughput of one PolicyGate node on the SQLite store vs the PostgreSQL store (DESIGN §12):
# the hot path reads only the in-memory snapshot, so the two must match within noise.
# usage: load/store-compare.sh [ROUNDS=3] [DURATION=4s]   (needs postgresql, python3; builds Release into /tmp)
# Each round runs both stores (order alternating): `policygate serve`, one instance registered with a tcp port
# in front of a python http.server backend, then `policygate-load run --client tls-connect --sim closed:8`
# (new TCP connection + full TLS handshake + GET /1k.json per request). Prints one result line per run.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
"$ROOT/scripts/install-packages.sh" postgresql python3 curl
ROUNDS="${1:-3}"; DURATION="${2:-4s}"
RUN="$(mktemp -d /tmp/pg-store-compare.XXXXXX)"; chmod 755 "$RUN"
PIDS=()
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
AS_PG=(); [ "$(id -u)" -eq 0 ] && AS_PG=(runuser -u postgres --)
cleanup() {
  set +e
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  [ -d "$RUN/pgdata" ] && "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$RUN/pgdata" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$RUN"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ready() { for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$1/readyz" >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "not ready: $1" >&2; return 1; }

dotnet build "$ROOT/src/PolicyGate" -c Release -nologo -v q -o "$RUN/pg" >/dev/null
dotnet build "$ROOT/load/PolicyGate.Load" -c Release -nologo -v q -o "$RUN/load" >/dev/null

PGPORT="$(free_port)"
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$RUN"
"${AS_PG[@]}" "$PGBIN/initdb" -D "$RUN/pgdata" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
"${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$RUN/pgdata" -l "$RUN/pg.log" -w -o "-p $PGPORT -k $RUN -c listen_addresses=127.0.0.1" start >/dev/null

mkdir -p "$RUN/www"; head -c 1024 /dev/zero | tr '\0' 'x' > "$RUN/www/1k.json"
BACKEND="$(free_port)"
python3 -m http.server "$BACKEND" --bind 127.0.0.1 --directory "$RUN/www" >/dev/null 2>&1 & PIDS+=($!)

measure() { # STORE ROUND
  local store="$1" round="$2" dir="$RUN/$1-$2" edge admin metrics
  edge="$(free_port)"; admin="$(free_port)"; metrics="$(free_port)"; mkdir -p "$dir"
  local extra=""; [ "$store" = postgres ] && extra=$'[store]\nkind = "postgres"'
  printf '[node]\nmode = "dev"\ndata_dir = "data"\n[edge]\nlisten = ["127.0.0.1:%s"]\n[admin]\nlisten = "127.0.0.1:%s"\n[metrics]\nlisten = "127.0.0.1:%s"\n[inspection]\ntenants_dir = "none"\n%s\n' \
    "$edge" "$admin" "$metrics" "$extra" > "$dir/policygate.toml"
  [ "$store" = postgres ] && "${AS_PG[@]}" psql -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE r$round" >/dev/null
  (cd "$dir" && POLICYGATE_ADMIN_TOKEN=store-compare-token POLICYGATE_STORE_CONNECTION="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=r$round" \
    exec dotnet "$RUN/pg/policygate.dll" serve --config policygate.toml >"$dir/serve.log" 2>&1) & local pid=$!; PIDS+=($pid)
  wait_ready "$metrics"
  curl -fsS -H "Authorization: Bearer store-compare-token" -d "{\"instance_id\":\"sc1\",\"app_id\":\"sc\",\"address\":\"127.0.0.1\",\"port_policy\":{\"ports\":[{\"port\":$BACKEND,\"protocol\":\"tcp\"}],\"restrict_mode\":true}}" \
    "http://127.0.0.1:$admin/api/v1/instances" >/dev/null
  echo "== $store round $round"
  dotnet "$RUN/load/policygate-load.dll" run --scenario edge-newconn --target "$store" --client tls-connect --connect "127.0.0.1:$edge" \
    --sni "sc1-$BACKEND.localhost" --path /1k.json --sim closed:8 --warmup 1s --duration "$DURATION" --proxy-pid "$pid" --no-progress --out "$dir/out" | tail -n 4
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
}
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then measure sqlite "$round"; measure postgres "$round"; else measure postgres "$round"; measure sqlite "$round"; fi
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
