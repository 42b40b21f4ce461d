#!/usr/bin/env bash
# start-gateway.sh NAME CONFIG_DIR HOST [PATH]
#
# Starts the gateway as it ships (gateway-app/target/app with its class data sharing archive; build it first with
# ./mvnw -q -DskipTests package), pinned to CPU 1 with the SCG peer's JVM flags, Gateway port 80 on
# 127.0.0.1:8080 and the management server on 15020. Waits (at most 60 s, a curl every 50 ms, as the harness's
# start-peers.sh does for its peers) for the first proxied 200 from http://127.0.0.1:8080<PATH> with Host HOST and
# prints the PID, launch -> first 200 in ms and the RSS then. The PID goes to $RUN_DIR/mine/NAME.pid, the log to
# $RUN_DIR/logs/NAME.log. JAVA_OPTS replaces the JVM flags; GATEWAY_JAR=plain starts the fat jar without the archive.
set -euo pipefail
name=$1 dir=$2 host=$3 path=${4:-/}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
run_dir=${RUN_DIR:-/tmp/bench-run}
mkdir -p "$run_dir/mine" "$run_dir/logs"
log=$run_dir/logs/$name.log
read -r -a opts <<< "${JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseSerialGC}"
if [[ ${GATEWAY_JAR:-} == plain ]]; then
  launch=(-jar "$root/gateway-app/target/gateway-app.jar")
else
  launch=(-XX:SharedArchiveFile="$root/gateway-app/target/app/gateway-app.jsa" -jar "$root/gateway-app/target/app/gateway-app.jar")
fi
t0=$(date +%s%3N)
nohup taskset -c 1 java "${opts[@]}" "${launch[@]}" \
  --gateway.config-dir="$dir" --gateway.port-map=80:8080 --management.server.port=15020 \
  --gateway.bind-address=127.0.0.1 > "$log" 2>&1 < /dev/null &
pid=$!
echo "$pid" > "$run_dir/mine/$name.pid"
deadline=$(( t0 + 60000 )) code=000
while (( $(date +%s%3N) < deadline )); do
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -H "Host: $host" "http://127.0.0.1:8080$path" 2>/dev/null || true)
  [[ $code == 200 ]] && break
  kill -0 "$pid" 2>/dev/null || { echo "gateway $pid died; see $log" >&2; exit 1; }
  sleep 0.05
done
t1=$(date +%s%3N)
[[ $code == 200 ]] || { echo "no 200 within 60 s (last code $code), pid $pid, see $log" >&2; exit 1; }
echo "pid=$pid ready_ms=$(( t1 - t0 )) rss_kb=$(ps -o rss= -p "$pid" | tr -d ' ')"
grep -o 'Started GatewayApplication in [0-9.]* seconds (process running for [0-9.]*)' "$log" | tail -1 || true
