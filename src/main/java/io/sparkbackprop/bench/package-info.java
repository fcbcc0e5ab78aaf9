/**
 * Performance benchmarks run by {@code jobs/bench.sh} and reported in docs/benchmarks.md:
 * Fashion-MNIST time to accuracy against Spark ML's MLPC and against the same kernel without
 * Spark, the per-step cost of training by model size and partition count, the machine's GEMM
 * peak, and the driver's memory by number of training rows (one child JVM per row count). Not
 * used by training; allowed to import Spark and Spark ML. The IDX reader for
 * (Fashion-)MNIST lives here too.
 */
package io.sparkbackprop.bench;
