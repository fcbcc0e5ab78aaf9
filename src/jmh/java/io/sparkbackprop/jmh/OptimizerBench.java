package io.sparkbackprop.jmh;

import io.sparkbackprop.optim.Optimizer;
import io.sparkbackprop.optim.OptimizerSpec;
import io.sparkbackprop.optim.OptimizerState;
import io.sparkbackprop.optim.OptimizerType;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** One optimizer step on the driver, for 235k parameters (784-256-128-10) and for 3.7M. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OptimizerBench {
  @Param({"SGD", "MOMENTUM", "ADAM", "ADAMW"})
  public OptimizerType type;

  @Param({"235146", "3716106"})
  public int parameters;

  private Optimizer optimizer;
  private OptimizerState state;
  private double[] params;
  private double[] grad;

  @Setup
  public void setUp() {
    optimizer = Optimizer.create(OptimizerSpec.defaults(type));
    state = optimizer.init(parameters);
    SplittableRandom rng = new SplittableRandom(1);
    params = new double[parameters];
    grad = new double[parameters];
    for (int i = 0; i < parameters; i++) {
      params[i] = rng.nextGaussian() * 0.05;
      grad[i] = rng.nextGaussian() * 1e-3;
    }
  }

  @Benchmark
  public double[] step() {
    optimizer.step(params, grad, state, 1e-3);
    return params;
  }
}
