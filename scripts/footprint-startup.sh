#!/usr/bin/env bash
# Footprint (c): cold start of `edgectl --version`, N runs (default 10), the median and min wall time.
# "Cold" is a new JVM each run (the OS page cache stays warm, as on a device after its first start).
# Timing depends on the machine and its load: report `uptime` with the figure. Not a test.
#
# Usage: scripts/footprint-startup.sh [RUNS] [extra JVM options...]
#   e.g. scripts/footprint-startup.sh 10 -XX:TieredStopAtLevel=1 -Xshare:auto
# Needs edge-sdk-examples/target/edgectl.jar (mvn -B -q -DskipTests package -pl edge-sdk-examples -am).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-10}
shift || true
JAR=edge-sdk-examples/target/edgectl.jar
JAVA=${JAVA:-java}
[[ -f $JAR ]] || { echo "$JAR missing: mvn -B -q -DskipTests package -pl edge-sdk-examples -am" >&2; exit 2; }
"$JAVA" "$@" -jar "$JAR" --version >/dev/null   # the one warm-up of the page cache
times=()
for ((i = 0; i < RUNS; i++)); do
  t0=$(date +%s%N)
  "$JAVA" "$@" -jar "$JAR" --version >/dev/null
  t1=$(date +%s%N)
  times+=($(((t1 - t0) / 1000000)))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
n=${#sorted[@]}
if ((n % 2)); then median=${sorted[n / 2]}; else median=$(((sorted[n / 2 - 1] + sorted[n / 2]) / 2)); fi
echo "edgectl --version x$RUNS ($*): median ${median} ms, min ${sorted[0]} ms, max ${sorted[n - 1]} ms (all: ${times[*]})"
echo "load: $(uptime)"
((median < 600)) && echo "within the 0.6 s budget" || echo "OVER the 0.6 s budget"
