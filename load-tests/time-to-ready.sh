#!/usr/bin/env bash
# time-to-ready.sh [ROUNDS] [CONFIG_DIR]
#
# Launch -> first proxied 200, the gateway (as it ships: gateway-app/target/app with its class data sharing
# archive) and the harness's plain Spring Cloud Gateway peer started alternately ROUNDS times (default 5), each
# pinned to CPU 1 with -Xms512m -Xmx512m -XX:+UseSerialGC, polled with curl every 50 ms (at most 60 s), as the
# harness's start-peers.sh measures its peers. The backend (start-peers.sh backend) must be up on 127.0.0.1:9000;
# the SCG jar is the one start-peers.sh built ($RUN_DIR/vanilla-scg/target/vanilla-scg.jar). The gateway listens on
# 127.0.0.1:18080 (management 18020) and the SCG peer on 127.0.0.1:19203, so running peers are not disturbed.
# Prints every start and the medians; each process is stopped (by its PID) before the next starts.
set -euo pipefail
rounds=${1:-5}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
config=${2:-$root/load-tests/bench-config/one-route}
run_dir=${RUN_DIR:-/tmp/bench-run}
scg_jar=${SCG_JAR:-$run_dir/vanilla-scg/target/vanilla-scg.jar}
jvm=(-Xms512m -Xmx512m -XX:+UseSerialGC)
mkdir -p "$run_dir/logs"

ready() { # NAME URL CMD... -> prints ms from launch to the first 200
  local name=$1 url=$2; shift 2
  local t0 t1 pid code=000
  t0=$(date +%s%3N)
  taskset -c 1 "$@" > "$run_dir/logs/ready-$name.log" 2>&1 < /dev/null &
  pid=$!
  while (( $(date +%s%3N) < t0 + 60000 )); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -H 'Host: bench.local' "$url" 2>/dev/null || true)
    [[ $code == 200 ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  t1=$(date +%s%3N)
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [[ $code == 200 ]] || { echo "$name: no 200 (last $code), see $run_dir/logs/ready-$name.log" >&2; exit 1; }
  echo $(( t1 - t0 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

gw=() scg=()
for i in $(seq 1 "$rounds"); do
  g=$(ready gw http://127.0.0.1:18080/ java "${jvm[@]}" \
      -XX:SharedArchiveFile="$root/gateway-app/target/app/gateway-app.jsa" -jar "$root/gateway-app/target/app/gateway-app.jar" \
      --gateway.config-dir="$config" --gateway.port-map=80:18080 --management.server.port=18020 \
      --gateway.bind-address=127.0.0.1)
  s=$(ready scg http://127.0.0.1:19203/ java "${jvm[@]}" -jar "$scg_jar" --server.port=19203 --server.address=127.0.0.1)
  gw+=("$g") scg+=("$s")
  echo "round $i: gw ${g} ms, scg ${s} ms"
done
gm=$(printf '%s\n' "${gw[@]}" | median) sm=$(printf '%s\n' "${scg[@]}" | median)
echo "median: gw ${gm} ms, scg ${sm} ms, gw/scg $(echo "scale=2; $gm / $sm" | bc)"
