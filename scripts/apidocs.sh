#!/usr/bin/env bash
# The aggregated Javadoc of the SDK's modules (api, linux, store, ota, examples) in one site,
# target/apidocs/index.html, with the {@snippet} examples taken from the modules' test sources.
# Strict: doclint all,-missing and -Werror, so any warning fails (exit 1). .ci/run runs it after the
# tests. Needs a javadoc of JDK 18+ for {@snippet}: JAVADOC, else JDK 25 at Temurin's Debian path,
# else the javadoc next to `java` if that is 18+.
#
# Usage: scripts/apidocs.sh      (after `mvn -B verify` or at least `mvn -B -q -DskipTests package`)
set -euo pipefail
cd "$(dirname "$0")/.."
JAVADOC=${JAVADOC:-}
if [[ -z $JAVADOC ]]; then
  if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/javadoc ]]; then
    JAVADOC=/usr/lib/jvm/temurin-25-jdk-amd64/bin/javadoc
  else
    JAVADOC=$(dirname "$(readlink -f "$(command -v java)")")/javadoc
  fi
fi
version=$("$JAVADOC" --version 2>&1 | awk '{print $2}' | cut -d. -f1)
if ((version < 18)); then
  echo "apidocs: $JAVADOC is JDK $version; {@snippet} needs 18+: set JAVADOC=/path/to/jdk18+/bin/javadoc" >&2
  exit 2
fi

modules=(api linux store ota examples)
out=target/apidocs
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The third-party module path: every module's compile dependencies (optional ones such as xz
# included, which edgectl's own path lacks), without the SDK's own; one file per module.
mvn -B -q -DskipTests -Dmaven.javadoc.skip package dependency:build-classpath -pl edge-sdk-examples -am \
  -Dmdep.includeScope=compile \
  -Dmdep.outputFile=target/apidocs-classpath.txt >/dev/null
modulepath=$(cat edge-sdk-*/target/apidocs-classpath.txt | tr ':' '\n' | grep -v '/edge-sdk-' | grep . | sort -u | paste -sd: -)

args=(-d "$out" --release 17 -quiet -Xdoclint:all,-missing -Werror -notimestamp
      -doctitle "Edge SDK $(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | sed -n 1p) API"
      --module-path "$modulepath")
list=()
snippets=()
for m in "${modules[@]}"; do
  name=$(sed -n 's/^module \([a-z.]*\) .*/\1/p' "edge-sdk-$m/src/main/java/module-info.java")
  args+=(--module-source-path "$name=edge-sdk-$m/src/main/java")
  list+=("$name")
  snippets+=("edge-sdk-$m/src/test/java")
done
args+=(--snippet-path "$(IFS=:; echo "${snippets[*]}")" --module "$(IFS=,; echo "${list[*]}")")

rm -rf "$out"
if "$JAVADOC" "${args[@]}" > "$tmp/log" 2>&1; then
  echo "apidocs: $out/index.html (${list[*]}; javadoc $version, no warnings)"
else
  cat "$tmp/log" >&2
  echo "apidocs: javadoc reported warnings or errors (above)" >&2
  exit 1
fi
