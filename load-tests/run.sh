#!/usr/bin/env bash
# load-tests/run.sh [--quick] [SCENARIO...] [options]
#
# Measures the gateway side by side with what a user would pick instead (the backend direct, nginx, HAProxy, plain
# Spring Cloud Gateway) on this machine, in one run, and writes load-tests/results/<date>/report.md with tables,
# SVG charts and the raw data. `load-tests/run.sh --help` lists the scenarios and options; load-tests/README.md
# explains the method.
#
# Before the harness starts, this script installs the tools it needs from Debian's packages if any is missing
# (wrk, nginx, haproxy, nghttp2-client for h2load, openssl; with sudo unless root), and builds with the Maven
# wrapper what is missing or older than its sources: the gateway as it ships (gateway-app/target/app), the plain
# Spring Cloud Gateway peer (load-tests/plain-scg) and the harness (load-tests/harness). MAVEN_ARGS passes options
# to that build (MAVEN_ARGS=-o builds offline). Everything the harness starts listens on 127.0.0.1 only and is
# stopped by its PID when the run ends or is interrupted.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
jar=load-tests/harness/target/load-tests-harness.jar

for arg in "$@"; do
  if [[ $arg == --help || $arg == -h ]]; then
    [[ -f $jar ]] && exec java -jar "$jar" --help
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0
  fi
done

# tools, from Debian's packages
missing=()
have() { command -v "$1" >/dev/null 2>&1 || [[ -x /usr/sbin/$1 || -x /sbin/$1 ]]; }
have wrk || missing+=(wrk)
have nginx || missing+=(nginx)
have haproxy || missing+=(haproxy)
have h2load || missing+=(nghttp2-client)
have openssl || missing+=(openssl)
have taskset || missing+=(util-linux)
if (( ${#missing[@]} )); then
  echo "[load-tests] installing ${missing[*]} (apt-get)" >&2
  sudo=$([[ $(id -u) -eq 0 ]] || echo sudo)
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# what the run needs, built when missing or older than its sources
stale() { # ARTIFACT SOURCE... -> true if the artifact is missing or a source file is newer
  local artifact=$1; shift
  [[ ! -e $artifact ]] && return 0
  [[ -n $(find "$@" -type f -newer "$artifact" -print -quit 2>/dev/null) ]]
}
# (a build with -Dcds.skip=true leaves a newer single jar than the shipped layout: that counts as stale too)
if stale gateway-app/target/app/gateway-app.jsa pom.xml gateway-app/pom.xml gateway-app/src route-translator/pom.xml \
     route-translator/src gateway-app/target/gateway-app.jar \
   || stale load-tests/plain-scg/target/plain-scg.jar load-tests/plain-scg/pom.xml load-tests/plain-scg/src \
   || stale "$jar" load-tests/harness/pom.xml load-tests/harness/src; then
  echo "[load-tests] building the gateway, the plain Spring Cloud Gateway peer and the harness" >&2
  ./mvnw -B -q -DskipTests package -pl load-tests/harness -am
fi

# the harness moves itself onto the load generator's CPUs once it has chosen them
exec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx256m -jar "$jar" --root "$root" "$@"
