package io.sparkbackprop.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code jobs/bench.sh SUBCOMMAND ...}: the performance benchmarks of docs/benchmarks.md. Not part
 * of training; allowed to depend on Spark ML for the MLPC comparison.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    subcommands = {FashionBench.class, BlasBench.class, StepCostBench.class,
        MemoryBench.class, MemoryRun.class},
    description = "Performance benchmarks (see docs/benchmarks.md).")
public final class BenchJob implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.err);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchJob()).execute(args));
  }
}
