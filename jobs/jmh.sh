#!/usr/bin/env bash
# jobs/jmh.sh [JMH OPTIONS]: the JMH micro-benchmarks of the kernel and the optimizer step
# (src/jmh/java), e.g. `jobs/jmh.sh KernelBench -p precision=float32`. Not part of CI.
# Runs with native OpenBLAS when it is installed, one BLAS thread (as a Spark task does).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mvn -q -B -Pjmh -DskipTests -DbuildDir=target/jmh test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/jmh/classpath.txt -Dmdep.includeScope=test >&2
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
exec java --add-modules=jdk.incubator.vector \
  -cp "target/jmh/classes:target/jmh/test-classes:$(cat target/jmh/classpath.txt)" \
  org.openjdk.jmh.Main "$@"
