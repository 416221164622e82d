#!/usr/bin/env bash
# Footprint (a): the example telemetry agent (durable queue, MQTT forwarding and the A/B update
# client together) runs a one-hour-equivalent workload in a 32 MiB heap without OutOfMemoryError.
#
# One hour at 1 reading/s is 3600 readings; they are produced as one burst (--interval-ms 0), each
# stored SYNCED and forwarded with QoS 1 to a real mosquitto on loopback, and the agent checks a
# TUF repository (file://, made with `edgectl ota repo`) for updates every 60 readings: 60 checks,
# each a full metadata refresh. The JVM runs with -Xmx32m -XX:+ExitOnOutOfMemoryError and a GC log;
# the script prints the agent's totals, the peak heap after GC, the largest heap before a GC and
# the process's peak RSS.
#
# Usage: scripts/footprint-agent.sh [READINGS] [UPDATE_EVERY]       (defaults 3600 and 60)
#   JVM_OPTS="-XX:TieredStopAtLevel=1 -Xss512k" adds JVM options (those of the Containerfile).
# Needs: mosquitto (apt-get install mosquitto), GNU time (/usr/bin/time), and
# edge-sdk-examples/target/edgectl.jar (mvn -B -q -DskipTests package -pl edge-sdk-examples -am).
set -euo pipefail
cd "$(dirname "$0")/.."
READINGS=${1:-3600}
EVERY=${2:-60}
JAR=$PWD/edge-sdk-examples/target/edgectl.jar
JAVA=${JAVA:-java}
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
[[ -f $JAR ]] || { echo "$JAR missing: mvn -B -q -DskipTests package -pl edge-sdk-examples -am" >&2; exit 2; }
[[ -x $MOSQUITTO ]] || { echo "mosquitto missing: apt-get install mosquitto" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time missing: apt-get install time" >&2; exit 2; }

work=$(mktemp -d)
broker_pid=
cleanup() { [[ -n $broker_pid ]] && kill "$broker_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# A broker on a free loopback port.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\n' "$port" \
  > "$work/mosquitto.conf"
"$MOSQUITTO" -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
broker_pid=$!
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done

# A signed repository with one target for this device, and the device's A/B configuration.
edgectl() { "$JAVA" -jar "$JAR" "$@"; }
head -c 1048576 /dev/urandom > "$work/rootfs-2.img"
edgectl ota repo init --dir "$work/repo" >/dev/null
edgectl ota repo add --dir "$work/repo" --file "$work/rootfs-2.img" --name rootfs-2.img --version 2.0 \
  --hardware sim >/dev/null
edgectl ota repo publish --dir "$work/repo" >/dev/null
: > "$work/slot-a.img"; : > "$work/slot-b.img"
cat > "$work/device.json" <<JSON
{
  "compatible": "sim",
  "bootloader": {"backend": "file", "file": "bootvars", "attempts": 3},
  "slots": {"A": "slot-a.img", "B": "slot-b.img"},
  "stateDirectory": "state",
  "repository": "repo/repository",
  "trustedRoot": "repo/repository/metadata/1.root.json",
  "bootedSlot": "A"
}
JSON

/usr/bin/time -f '%M' -o "$work/rss" \
  "$JAVA" -Xmx32m -XX:+UseSerialGC ${JVM_OPTS:-} -XX:+ExitOnOutOfMemoryError "-Xlog:gc:file=$work/gc.log" \
  -cp "$JAR" org.edgesdk.examples.telemetry.TelemetryAgent \
  --queue-dir "$work/queue" --mqtt "tcp://127.0.0.1:$port" --topic footprint --interval-ms 0 \
  --count "$READINGS" --update-config "$work/device.json" --update-every "$EVERY" > "$work/agent.out" 2>&1 \
  && rc=0 || rc=$?

checks=$(grep -c '^update check at reading' "$work/agent.out" || true)
available=$(grep -c 'rootfs-2.img 2.0 available' "$work/agent.out" || true)
grep -E '^(started|stopped)' "$work/agent.out" || true
echo "update checks: $checks ($available found rootfs-2.img)"
python3 - "$work/gc.log" <<'PY'
import re, sys
before, after = [], []
for line in open(sys.argv[1]):
    m = re.search(r'(\d+)M->(\d+)M\((\d+)M\)', line)
    if m:
        before.append(int(m.group(1))); after.append(int(m.group(2)))
print(f"GCs: {len(after)}, largest heap before a GC {max(before, default=0)} MiB, "
      f"peak heap after GC {max(after, default=0)} MiB (limit 32 MiB)")
PY
echo "peak RSS: $(( $(cat "$work/rss") / 1024 )) MiB"
if grep -q OutOfMemoryError "$work/agent.out" || ((rc != 0)); then
  echo "FAILED (exit $rc):"; tail -20 "$work/agent.out"; exit 1
fi
grep -q "stopped: produced $READINGS, forwarded $READINGS, backlog 0" "$work/agent.out" \
  || { echo "FAILED: not everything forwarded"; tail -5 "$work/agent.out"; exit 1; }
echo "OK: $READINGS readings stored and forwarded and $checks update checks in -Xmx32m without OutOfMemoryError"
