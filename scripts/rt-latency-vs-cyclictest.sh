#!/usr/bin/env bash
# Side-by-side wake-up latency: the SDK's Java probe (edgectl rt latency) against cyclictest (rt-tests)
# at the same settings, alternating in one run so both see the same machine load.
#
#   cyclictest -m -p 80 -i 1000 -l LOOPS        vs   edgectl rt latency --policy fifo --priority 80
#                                                         --interval-us 1000 --loops LOOPS --mlock
#
# Prints per-round figures, the pooled avg/p99/max of each side and the ratios probe/cyclictest.
# Target: p99 and average within 1.25x of cyclictest's. Not a test: timings depend on the machine.
#
# Usage: scripts/rt-latency-vs-cyclictest.sh [ROUNDS] [LOOPS]      (defaults 6 and 5000: ~1 minute)
# Needs: root (or CAP_SYS_NICE + RLIMIT_MEMLOCK), cyclictest (apt-get install rt-tests), python3, and
# edge-sdk-examples/target/edgectl.jar (mvn -B -q -DskipTests package -pl edge-sdk-examples -am).
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${1:-6}
LOOPS=${2:-5000}
PRIORITY=80
INTERVAL=1000
JAR=edge-sdk-examples/target/edgectl.jar
JAVA=${JAVA:-java}

command -v cyclictest >/dev/null || { echo "cyclictest missing: apt-get install rt-tests" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 missing: apt-get install python3" >&2; exit 2; }
[[ -f $JAR ]] || { echo "$JAR missing: mvn -B -q -DskipTests package -pl edge-sdk-examples -am" >&2; exit 2; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run_cyclictest() {
  cyclictest -m -p "$PRIORITY" -i "$INTERVAL" -l "$LOOPS" -q -h 10000 --json="$out/ct-$1.json" >/dev/null
}
run_probe() {
  "$JAVA" -jar "$JAR" rt latency --policy fifo --priority "$PRIORITY" --interval-us "$INTERVAL" \
    --loops "$LOOPS" --mlock --json >"$out/java-$1.json"
}

echo "machine: $(uname -r) $(uname -v | grep -o 'PREEMPT[_A-Z]*' | head -1), $(nproc) CPUs;" \
  "$ROUNDS rounds of $LOOPS wake-ups at ${INTERVAL} us, SCHED_FIFO $PRIORITY, mlockall"
for ((r = 1; r <= ROUNDS; r++)); do
  if ((r % 2)); then run_cyclictest "$r"; run_probe "$r"; else run_probe "$r"; run_cyclictest "$r"; fi
done

python3 - "$out" "$ROUNDS" <<'PY'
import json, sys
out, rounds = sys.argv[1], int(sys.argv[2])

def stats(hist, overflows, loops, mx, total_us):
    """avg from the exact sum when known; p99 from the 1 us histogram (overflows count as max)."""
    rank, seen, p99 = -(-99 * loops // 100), 0, mx
    for us in sorted(hist):
        seen += hist[us]
        if seen >= rank:
            p99 = us
            break
    return total_us / loops, p99, mx

def cyclictest(r):
    t = json.load(open(f"{out}/ct-{r}.json"))["thread"]["0"]
    hist = {int(k): v for k, v in t["histogram"].items()}
    return hist, t["cycles"] - sum(hist.values()), t["cycles"], t["max"], t["avg"] * t["cycles"]

def probe(r):
    j = json.load(open(f"{out}/java-{r}.json"))
    hist = {us: n for us, n in j["histogram"]}
    return hist, j["overflows"], j["loops"], j["maxUs"], j["avgUs"] * j["loops"]

pooled = {}
print(f"{'round':>5} {'side':>10} {'min':>6} {'avg':>8} {'p99':>6} {'max':>6}  (us)")
for r in range(1, rounds + 1):
    for name, read in (("cyclictest", cyclictest), ("java probe", probe)):
        hist, over, loops, mx, total = read(r)
        avg, p99, mx = stats(hist, over, loops, mx, total)
        print(f"{r:>5} {name:>10} {min(hist) if hist else mx:>6} {avg:>8.1f} {p99:>6} {mx:>6}")
        p = pooled.setdefault(name, [{}, 0, 0, 0, 0.0])
        for us, n in hist.items():
            p[0][us] = p[0].get(us, 0) + n
        p[1] += over; p[2] += loops; p[3] = max(p[3], mx); p[4] += total

res = {name: stats(*p) for name, p in pooled.items()}
c, j = res["cyclictest"], res["java probe"]
print()
print(f"pooled     cyclictest avg {c[0]:.1f} us p99 {c[1]} us max {c[2]} us")
print(f"pooled     java probe avg {j[0]:.1f} us p99 {j[1]} us max {j[2]} us")
ra, rp = j[0] / c[0], j[1] / max(c[1], 1)
ok = lambda x: "within 1.25x" if x <= 1.25 else "ABOVE 1.25x"
print(f"ratio java/cyclictest: avg {ra:.2f}x ({ok(ra)}), p99 {rp:.2f}x ({ok(rp)})")
PY
