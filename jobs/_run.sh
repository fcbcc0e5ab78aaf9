#!/usr/bin/env bash
# Shared launcher of the jobs: jobs/_run.sh MAIN_CLASS ARGS...
#
# With SPARK_HOME and SPARK_MASTER set, the job goes through spark-submit to that master.
# Otherwise it runs on embedded Spark (local[*] unless the config says otherwise) in this JVM,
# with Spark's jars from target/lib. The jar is built on first use and rebuilt when the sources
# are newer than it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
main=$1
shift
jar="$root/target/spark-backprop.jar"

if [ ! -f "$jar" ] || [ ! -d "$root/target/lib" ] || [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit)" ]; then
  echo "building $jar (first use or sources changed)..." >&2
  (cd "$root" && mvn -q -B -DskipTests package) >&2
fi

# Tasks run side by side; a multi-threaded BLAS in each would oversubscribe the cores.
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}

if [ -n "${SPARK_HOME:-}" ] && [ -n "${SPARK_MASTER:-}" ]; then
  exec "$SPARK_HOME/bin/spark-submit" --master "$SPARK_MASTER" --class "$main" \
    --conf spark.executorEnv.OPENBLAS_NUM_THREADS=1 \
    ${SPARK_SUBMIT_OPTS_EXTRA:-} "$jar" "$@"
fi

# The Java Vector API is only BLAS's fallback; without it on the module path the JVM does not print
# its "Using incubator modules" warning, so add it only when native OpenBLAS is missing.
vector=""
if ! ldconfig -p 2>/dev/null | grep -q libopenblas; then
  vector="--add-modules=jdk.incubator.vector"
  echo "note: native OpenBLAS not found (apt-get install libopenblas0); using the slower Java BLAS" >&2
fi
opens="-XX:+IgnoreUnrecognizedVMOptions $vector
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true"
log="-Dlog4j2.configurationFile=$root/conf/log4j2.properties"
# shellcheck disable=SC2086
exec java $opens $log -Xmx"${DRIVER_MEMORY:-4g}" ${JAVA_OPTS:-} -cp "$jar:$root/target/lib/*" "$main" "$@"
