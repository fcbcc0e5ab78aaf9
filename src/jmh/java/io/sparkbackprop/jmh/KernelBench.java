package io.sparkbackprop.jmh;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.FeedForward;
import io.sparkbackprop.nn.FloatWorkspace;
import io.sparkbackprop.nn.Init;
import io.sparkbackprop.nn.LayerSpec;
import io.sparkbackprop.nn.LossType;
import io.sparkbackprop.nn.NetworkSpec;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Reduction;
import io.sparkbackprop.nn.Workspace;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Forward+backward of one chunk of rows through 784-256-128-10 (relu, softmax, cross-entropy),
 * the Fashion-MNIST network of docs/benchmarks.md, in both precisions. One thread: the kernel as a
 * single Spark task runs it. Divide the FLOPs (about 1.0 MFLOP per row) by the time for GFLOP/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class KernelBench {
  @Param({"float64", "float32"})
  public String precision;

  @Param({"128", "512", "1024"})
  public int rows;

  private FeedForward net;
  private double[] params;
  private float[] params32;
  private double[] grad;
  private float[] grad32;
  private Workspace ws;
  private FloatWorkspace fws;

  @Setup(Level.Trial)
  public void setUp() {
    NetworkSpec spec = new NetworkSpec(784, List.of(new LayerSpec(256, Activation.RELU, true),
        new LayerSpec(128, Activation.RELU, true), new LayerSpec(10, Activation.SOFTMAX, true)));
    net = new FeedForward(spec, LossType.CROSS_ENTROPY, Reduction.MEAN);
    params = Init.HE.initialize(spec.layout(), 1);
    params32 = Precision.toFloat(params);
    grad = new double[params.length];
    grad32 = new float[params.length];
    ws = new Workspace(spec, rows);
    fws = new FloatWorkspace(spec, rows);
    SplittableRandom rng = new SplittableRandom(2);
    for (int i = 0; i < rows * 784; i++) {
      ws.input[i] = rng.nextDouble();
      fws.input[i] = (float) ws.input[i];
    }
    for (int r = 0; r < rows; r++) {
      ws.labels[r] = rng.nextInt(10);
      fws.labels[r] = ws.labels[r];
    }
  }

  @Benchmark
  public double lossAndGradient() {
    return "float32".equals(precision)
        ? net.lossAndGradient(params32, fws, rows, grad32)
        : net.lossAndGradient(params, ws, rows, grad);
  }
}
