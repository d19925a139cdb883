#!/usr/bin/env bash
# Runs one benchmark: benchmarks/run.sh NAME [args...], NAME one of those below (README.md describes each).
# Picks a JDK >= 21 under /usr/lib/jvm (or JAVA_HOME if it is one), builds the benchmarks when a source is newer
# than the last build, and runs the program with JAVA_OPTS (default -Xmx1g).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
  echo "usage: benchmarks/run.sh EngineOverhead|ConcurrentRuns|SafetyCost|AuditAppend|ServerLoad|ConsolePages|SparkLogs|KnowledgeSearch|MemoryRecall|spend.SpendBenchmark|spend.CatalogLoad [--help | benchmark arguments]" >&2
  exit 2
fi
name="$1"; shift
# A benchmark in a sub-package is named with its package: spend.SpendBenchmark.
if [ ! -f "benchmarks/src/main/java/dev/maestro/benchmarks/${name//.//}.java" ]; then
  echo "run.sh: no benchmark '$name'; use EngineOverhead, ConcurrentRuns, SafetyCost, AuditAppend, ServerLoad, ConsolePages, SparkLogs, KnowledgeSearch, MemoryRecall, spend.SpendBenchmark or spend.CatalogLoad" >&2
  exit 2
fi

. scripts/find-jdk.sh
if ! JAVA_HOME="$(find_jdk)"; then echo "run.sh: no JDK >= 21 in JAVA_HOME or under /usr/lib/jvm; install one or set JAVA_HOME" >&2; exit 1; fi
export JAVA_HOME

# Build when never built, or when any source or pom of the modules the benchmarks use is newer than the last build.
stamp=benchmarks/target/lib/.built
if [ ! -f "$stamp" ] || [ -n "$(find pom.xml engine store-jdbc knowledge server packs benchmarks -path '*/target' -prune -o -newer "$stamp" \
    \( -name '*.java' -o -name '*.sql' -o -name 'pom.xml' -o -path '*/resources/*' \) -print -quit)" ]; then
  echo "run.sh: building the benchmarks with $JAVA_HOME" >&2
  # package, not install: nothing is written to ~/.m2, so other builds never pick up this one's jars.
  ./mvnw -q -B -DskipTests package -pl benchmarks -am
  touch "$stamp"
fi

exec "$JAVA_HOME/bin/java" ${JAVA_OPTS:--Xmx1g} --enable-native-access=ALL-UNNAMED -cp "benchmarks/target/classes:benchmarks/target/lib/*" \
  "dev.maestro.benchmarks.$name" "$@"
