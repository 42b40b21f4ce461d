#!/usr/bin/env bash
# A/B of two builds of the gateway on one route, by hand, with an optional CPU profile: what load-tests/run.sh
# measures for one target, but for two gateway builds in alternation, which is how a per-request cost is located.
#
#   load-tests/ab-profile.sh [--profile] [--together] [--rounds N] [--warmup S] [--measure S] A-APP-DIR B-APP-DIR
#
# An app dir is what the build leaves in gateway-app/target/app (copy it aside to keep a build). Both builds serve
# load-tests/bench-config/one-route; nginx answers as the harness's backend on 127.0.0.1:9000 (CPU 0), wrk -t1 -c50
# runs on CPU 0, the gateway alone on CPU 1 with the harness's JVM flags. Each run: a warm-up, then the measured
# run; it prints requests/s and the gateway's CPU per request (utime+stime from /proc over the measured run), and the
# backend nginx's CPU per request over the same run, which shows how the machine's speed moved between runs (nginx
# does the same work for every request; the ratio does not cancel the drift, the JVM moved more than nginx). With
# --profile, async-profiler (Maven Central, tools.profiler:async-profiler) samples the measured run and writes
# collapsed stacks to load-tests/results/<date>-ab/<label>.collapsed. With --together, each round runs both builds at
# the same time, both gateways on CPU 1 and each with its own wrk (-c25) on CPU 0: a machine whose speed drifts
# between runs (seen here: ±20 % within minutes) then slows both alike, and the CPU per request of the two compares.
# All traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=no together=no rounds=3 warmup=30 measure=20
while [[ $# -gt 2 ]]; do
  case $1 in
    --profile) profile=yes; shift ;;
    --together) together=yes; shift ;;
    --rounds) rounds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --measure) measure=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $# -eq 2 ]] || { sed -n 2,17p "$0"; exit 2; }
apps=("$(realpath "$1")" "$(realpath "$2")")
out=load-tests/results/$(date -u +%F)-ab
work=$(mktemp -d)
mkdir -p "$out"
for tool in nginx wrk taskset jcmd curl; do command -v $tool >/dev/null || { echo "missing: $tool" >&2; exit 1; }; done

agent=load-tests/target/async-profiler/linux-x64/libasyncProfiler.so
if [[ $profile == yes && ! -f $agent ]]; then
  mkdir -p load-tests/target/async-profiler
  curl -sfL -o load-tests/target/async-profiler/ap.jar \
    https://repo.maven.apache.org/maven2/tools/profiler/async-profiler/4.2/async-profiler-4.2-linux-x64.jar
  (cd load-tests/target/async-profiler && unzip -o -q ap.jar linux-x64/libasyncProfiler.so)
fi

sed -e "s|{{backend}}|9000|; s|{{v1}}|9001|; s|{{v2}}|9002|; s|{{work}}|$work|g" \
  load-tests/harness/src/main/resources/io/meshgate/loadtests/bench/backend-nginx.conf > "$work/nginx.conf"
(cd "$work" && exec taskset -c 0 nginx -p "$work" -c "$work/nginx.conf" -e "$work/error.log") > /dev/null 2>&1 &
nginx=$!
gateway= gateways=()
cleanup() {
  [[ -n $gateway ]] && kill "$gateway" 2>/dev/null
  for pid in "${gateways[@]}"; do kill "$pid" 2>/dev/null; done
  kill "$nginx" 2>/dev/null; rm -rf "$work"
}
trap cleanup EXIT
sleep 1
kill -0 $nginx 2>/dev/null && curl -sf -o /dev/null http://127.0.0.1:9000/ \
  || { echo "the backend nginx did not start on 127.0.0.1:9000 (port taken?): $work/error.log" >&2; exit 1; }

backend_ticks() { # utime+stime of the backend nginx's processes
  local total=0 pid
  for pid in $nginx $(pgrep -P $nginx); do total=$((total + $(awk '{print $14+$15}' /proc/$pid/stat))); done
  echo $total
}

start() { # app label port: starts a gateway on CPU 1, prints its pid once it answers
  local app=$1 label=$2 port=$3 cfg=$work/cfg-$2 pid
  cp -r load-tests/bench-config/one-route "$cfg"
  taskset -c 1 java -Xms512m -Xmx512m -XX:+UseSerialGC -XX:SharedArchiveFile="$app/gateway-app.jsa" \
    -jar "$app/gateway-app.jar" --gateway.config-dir="$cfg" --gateway.port-map=80:$port \
    --gateway.bind-address=127.0.0.1 --management.server.port=$((port + 1)) > "$out/$label.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 60); do curl -s -o /dev/null http://127.0.0.1:$port/ && break; sleep 0.5; done
  echo $pid
}

run() { # app label: one build alone
  local app=$1 label=$2
  gateway=$(start "$app" "$label" 18080)
  taskset -c 0 wrk -t1 -c50 -d"${warmup}s" http://127.0.0.1:18080/ > /dev/null
  local t0 t1 n0 n1 reqs rps gw be
  t0=$(awk '{print $14+$15}' /proc/$gateway/stat)
  n0=$(backend_ticks)
  [[ $profile == yes ]] && jcmd $gateway JVMTI.agent_load "$(realpath $agent)" '"start,event=cpu,interval=997us"' > /dev/null
  taskset -c 0 wrk -t1 -c50 -d"${measure}s" http://127.0.0.1:18080/ > "$out/$label.wrk"
  t1=$(awk '{print $14+$15}' /proc/$gateway/stat)
  n1=$(backend_ticks)
  [[ $profile == yes ]] && jcmd $gateway JVMTI.agent_load "$(realpath $agent)" \
    "\"stop,file=$(realpath "$out")/$label.collapsed,collapsed\"" > /dev/null
  reqs=$(grep -o '^ *[0-9]* requests' "$out/$label.wrk" | awk '{print $1}')
  rps=$(awk '/Requests\/sec/ {print $2}' "$out/$label.wrk")
  gw=$(echo "scale=1; ($t1-$t0)*1000000/$(getconf CLK_TCK)/$reqs" | bc)
  be=$(echo "scale=1; ($n1-$n0)*1000000/$(getconf CLK_TCK)/$reqs" | bc)
  echo "$label requests/s=$rps cpu_us_per_request=$gw backend_cpu_us_per_request=$be" \
    "gateway_per_backend=$(echo "scale=3; $gw/$be" | bc)"
  kill $gateway
  while kill -0 $gateway 2>/dev/null; do sleep 0.2; done
  gateway=
}

together() { # round: both builds at once, each with its own wrk
  local r=$1 a b ta0 tb0 ta1 tb1 side t0 t1 reqs w
  a=$(start "${apps[0]}" "r$r-A" 18080); b=$(start "${apps[1]}" "r$r-B" 18090); gateways=($a $b)
  taskset -c 0 wrk -t1 -c25 -d"${warmup}s" http://127.0.0.1:18080/ > /dev/null & w=$!
  taskset -c 0 wrk -t1 -c25 -d"${warmup}s" http://127.0.0.1:18090/ > /dev/null
  wait $w
  ta0=$(awk '{print $14+$15}' /proc/$a/stat); tb0=$(awk '{print $14+$15}' /proc/$b/stat)
  if [[ $profile == yes ]]; then
    for pid in $a $b; do
      jcmd $pid JVMTI.agent_load "$(realpath $agent)" '"start,event=cpu,interval=997us"' > /dev/null
    done
  fi
  taskset -c 0 wrk -t1 -c25 -d"${measure}s" http://127.0.0.1:18080/ > "$out/r$r-A.wrk" & w=$!
  taskset -c 0 wrk -t1 -c25 -d"${measure}s" http://127.0.0.1:18090/ > "$out/r$r-B.wrk"
  wait $w
  ta1=$(awk '{print $14+$15}' /proc/$a/stat); tb1=$(awk '{print $14+$15}' /proc/$b/stat)
  if [[ $profile == yes ]]; then
    jcmd $a JVMTI.agent_load "$(realpath $agent)" "\"stop,file=$(realpath "$out")/r$r-A.collapsed,collapsed\"" > /dev/null
    jcmd $b JVMTI.agent_load "$(realpath $agent)" "\"stop,file=$(realpath "$out")/r$r-B.collapsed,collapsed\"" > /dev/null
  fi
  for side in A B; do
    if [[ $side == A ]]; then t0=$ta0 t1=$ta1; else t0=$tb0 t1=$tb1; fi
    reqs=$(grep -o '^ *[0-9]* requests' "$out/r$r-$side.wrk" | awk '{print $1}')
    echo "r$r-$side requests/s=$(awk '/Requests\/sec/ {print $2}' "$out/r$r-$side.wrk")" \
      "cpu_us_per_request=$(echo "scale=1; ($t1-$t0)*1000000/$(getconf CLK_TCK)/$reqs" | bc)"
  done
  kill $a $b
  while kill -0 $a 2>/dev/null || kill -0 $b 2>/dev/null; do sleep 0.2; done
  gateways=()
}

for r in $(seq 1 "$rounds"); do
  if [[ $together == yes ]]; then
    together "$r"
  else
    run "${apps[0]}" "r$r-A"
    run "${apps[1]}" "r$r-B"
  fi
done
