package io.sparkbackprop.bench;

import dev.ludovic.netlib.blas.BLAS;
import io.sparkbackprop.nn.FeedForward;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The machine's GEMM peak for the kernel's largest product (a 256x784 weight matrix times a
 * 784x512 block of rows), in float64 and float32, on 1 thread and on {@code --threads} threads
 * each running its own product (as Spark tasks do): the yardstick for achieved GFLOP/s.
 */
@Command(name = "blas", mixinStandardHelpOptions = true, description = "GEMM GFLOP/s of this machine's BLAS.")
final class BlasBench implements Callable<Integer> {
  @Option(names = "--threads", description = "concurrent products (default ${DEFAULT-VALUE})")
  int threads = 2;

  @Option(names = "--seconds", description = "time per measurement (default ${DEFAULT-VALUE})")
  double seconds = 2;

  @Option(names = "--rows", description = "rows per product, the N of the GEMM (default ${DEFAULT-VALUE})")
  int rows = 512;

  @Option(names = "--results", description = "append the figures as one JSON line to this file")
  java.nio.file.Path results;

  private static final int OUT = 256;
  private static final int IN = 784;

  @Override
  public Integer call() throws Exception {
    Report report = new Report("blas", System.out);
    report.put("blas", FeedForward.blasImplementation())
        .put("OPENBLAS_NUM_THREADS", String.valueOf(System.getenv("OPENBLAS_NUM_THREADS")))
        .put("shape", OUT + "x" + IN + " * " + IN + "x" + rows);
    for (int t : new int[] {1, threads}) {
      report.put("dgemmGflops" + t + "Threads", measure(t, false));
      report.put("sgemmGflops" + t + "Threads", measure(t, true));
    }
    report.append(results);
    return 0;
  }

  /** Total GFLOP/s of {@code t} threads each running products back to back. */
  double measure(int t, boolean single) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(t);
    try {
      List<Future<Double>> parts = new ArrayList<>();
      for (int i = 0; i < t; i++) {
        int seed = i;
        parts.add(pool.submit(() -> run(single, seed)));
      }
      double total = 0;
      for (Future<Double> f : parts) {
        total += f.get();
      }
      return total;
    } finally {
      pool.shutdownNow();
    }
  }

  private double run(boolean single, int seed) {
    BLAS blas = BLAS.getInstance();
    SplittableRandom rng = new SplittableRandom(seed);
    double flops = 2.0 * OUT * IN * rows;
    int n = OUT * IN;
    int m = IN * rows;
    long count = 0;
    long deadline;
    long start;
    if (single) {
      float[] w = new float[n];
      float[] x = new float[m];
      float[] z = new float[OUT * rows];
      for (int i = 0; i < n; i++) {
        w[i] = (float) rng.nextDouble();
      }
      for (int i = 0; i < m; i++) {
        x[i] = (float) rng.nextDouble();
      }
      blas.sgemm("T", "N", OUT, rows, IN, 1f, w, 0, IN, x, 0, IN, 0f, z, 0, OUT);   // warm-up
      start = System.nanoTime();
      deadline = start + (long) (seconds * 1e9);
      while (System.nanoTime() < deadline) {
        blas.sgemm("T", "N", OUT, rows, IN, 1f, w, 0, IN, x, 0, IN, 0f, z, 0, OUT);
        count++;
      }
    } else {
      double[] w = new double[n];
      double[] x = new double[m];
      double[] z = new double[OUT * rows];
      for (int i = 0; i < n; i++) {
        w[i] = rng.nextDouble();
      }
      for (int i = 0; i < m; i++) {
        x[i] = rng.nextDouble();
      }
      blas.dgemm("T", "N", OUT, rows, IN, 1.0, w, 0, IN, x, 0, IN, 0.0, z, 0, OUT);
      start = System.nanoTime();
      deadline = start + (long) (seconds * 1e9);
      while (System.nanoTime() < deadline) {
        blas.dgemm("T", "N", OUT, rows, IN, 1.0, w, 0, IN, x, 0, IN, 0.0, z, 0, OUT);
        count++;
      }
    }
    return count * flops / ((System.nanoTime() - start) / 1e9) / 1e9;
  }
}
