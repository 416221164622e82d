#!/usr/bin/env bash
# Footprint (b): the SDK's own jars (api, linux, store, ota) together, against the 1.5 MB budget
# (1.5 * 1024 * 1024 bytes). Third-party dependencies (JNA, MVStore, BouncyCastle, Jackson, Paho) are
# not counted: they are the application's to choose and share. PackagingIT checks the same budget.
#
# Usage: scripts/footprint-jars.sh       (after mvn -B -q -DskipTests package -pl edge-sdk-ota,edge-sdk-store -am)
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET=$((1536 * 1024))
total=0
for m in api linux store ota; do
  jar=$(ls edge-sdk-$m/target/edge-sdk-$m-*.jar 2>/dev/null | grep -v -e '-sources' -e '-javadoc' -e '-tests' | head -1 || true)
  [[ -n $jar ]] || { echo "edge-sdk-$m jar missing: mvn -B -q -DskipTests package -pl edge-sdk-$m -am" >&2; exit 2; }
  size=$(stat -c %s "$jar")
  printf '%-50s %9d bytes\n' "$jar" "$size"
  total=$((total + size))
done
printf '%-50s %9d bytes (%.2f MB of the 1.50 MB budget)\n' "total" "$total" "$(echo "$total / 1048576" | bc -l)"
((total <= BUDGET)) || { echo "over budget" >&2; exit 1; }
