#!/usr/bin/env bash
# Footprint (c): cold start of `edgectl --version`, N runs (default 10), the median and min wall time.
# "Cold" is a new JVM each run (the OS page cache stays warm, as on a device after its first start).
# Timing depends on the machine and its load: report `uptime` with the figure; the CPU time (user+sys)
# is printed too, as it depends less on load. Needs GNU time (/usr/bin/time). Not a test.
#
# Usage: scripts/footprint-startup.sh [RUNS] [appcds] [extra JVM options...]
#   e.g. scripts/footprint-startup.sh 10 -XX:TieredStopAtLevel=1
#   `appcds` first dumps an AppCDS archive of edgectl's classes (-XX:ArchiveClassesAtExit, JDK 13+)
#   into a temporary file and measures with -XX:SharedArchiveFile, as a launcher script could ship it.
# Needs edge-sdk-examples/target/edgectl.jar (mvn -B -q -DskipTests package -pl edge-sdk-examples -am).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-10}
shift || true
JAR=edge-sdk-examples/target/edgectl.jar
JAVA=${JAVA:-java}
[[ -f $JAR ]] || { echo "$JAR missing: mvn -B -q -DskipTests package -pl edge-sdk-examples -am" >&2; exit 2; }
if [[ ${1:-} == appcds ]]; then
  shift
  cds=$(mktemp -d)
  trap 'rm -rf "$cds"' EXIT
  "$JAVA" -XX:ArchiveClassesAtExit="$cds/edgectl.jsa" -jar "$JAR" --version >/dev/null 2>&1
  set -- -XX:SharedArchiveFile="$cds/edgectl.jsa" "$@"
fi
"$JAVA" "$@" -jar "$JAR" --version >/dev/null   # the one warm-up of the page cache
times=()
cpus=()
for ((i = 0; i < RUNS; i++)); do
  /usr/bin/time -f '%e %U %S' -o "${TMPDIR:-/tmp}/edgectl-time.$$" "$JAVA" "$@" -jar "$JAR" --version >/dev/null
  read -r wall user sys < "${TMPDIR:-/tmp}/edgectl-time.$$"
  times+=($(awk -v w="$wall" 'BEGIN{printf "%d", w * 1000}'))
  cpus+=($(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%d", (u + s) * 1000}'))
done
rm -f "${TMPDIR:-/tmp}/edgectl-time.$$"
median() { local s=($(printf '%s\n' "$@" | sort -n)); local n=${#s[@]}; if ((n % 2)); then echo "${s[n / 2]}"; else echo $(((s[n / 2 - 1] + s[n / 2]) / 2)); fi; }
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
n=${#sorted[@]}
median=$(median "${times[@]}")
echo "edgectl --version x$RUNS ($*): wall median ${median} ms, min ${sorted[0]} ms, max ${sorted[n - 1]} ms (all: ${times[*]})"
echo "CPU (user+sys, all threads) median $(median "${cpus[@]}") ms (all: ${cpus[*]})"
echo "load: $(uptime)"
((median < 600)) && echo "within the 0.6 s budget" || echo "OVER the 0.6 s budget"
