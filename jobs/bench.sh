#!/usr/bin/env bash
# jobs/bench.sh [SUBCOMMAND [OPTIONS]]: the performance benchmarks of docs/benchmarks.md.
#   jobs/bench.sh fashion   time to accuracy on Fashion-MNIST: spark-backprop vs the same kernel
#                           without Spark vs Spark ML's MLPC (needs dataset-fashion-mnist)
#   jobs/bench.sh steps     fixed per-step cost and its split, by model size and partition count
#   jobs/bench.sh blas      this machine's GEMM peak, float64 and float32
#   jobs/bench.sh memory    driver memory by number of training rows, one child JVM per row count
#                           (not part of the run without a subcommand: about 7 minutes with both masters)
# Without a subcommand: all three with the settings docs/benchmarks.md reports, appending the
# figures to target/bench-results.jsonl. Runs in one JVM per subcommand, embedded Spark local[2].
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export DRIVER_MEMORY=${DRIVER_MEMORY:-6g}
if [ $# -gt 0 ]; then
  exec "$here/_run.sh" io.sparkbackprop.bench.BenchJob "$@"
fi
results=${RESULTS:-$here/../target/bench-results.jsonl}
"$here/_run.sh" io.sparkbackprop.bench.BenchJob blas --results "$results"
"$here/_run.sh" io.sparkbackprop.bench.BenchJob steps --steps 40 --results "$results" \
  --plot "$here/../target/step-cost.svg"
"$here/_run.sh" io.sparkbackprop.bench.BenchJob fashion --results "$results" --epochs 12 --repeat 2 \
  --set optimizer.learningRate=0.003 --set optimizer.schedule.type=cosine
