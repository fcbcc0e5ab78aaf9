package io.sparkbackprop.train;

import io.sparkbackprop.config.ScheduleSettings;
import io.sparkbackprop.config.TrainingSettings;
import io.sparkbackprop.data.DataBlock;
import io.sparkbackprop.nn.FeedForward;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.optim.GradientClipping;
import io.sparkbackprop.optim.LearningRateSchedule;
import io.sparkbackprop.optim.Optimizer;
import io.sparkbackprop.optim.OptimizerSpec;
import io.sparkbackprop.optim.OptimizerState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The {@link Trainer}'s steps without Spark: the same per-block shard computation
 * ({@link ShardGradient#compute}) on one thread per block, summed in block order, divided, clipped
 * and applied. It exists to measure what Spark adds (broadcast, scheduling, result transport) to
 * the same arithmetic; it is not a training entry point.
 */
public final class SingleProcessTrainer {
  private final FeedForward net;
  private final OptimizerSpec optimizerSpec;
  private final ScheduleSettings schedule;
  private final TrainingSettings settings;

  public SingleProcessTrainer(FeedForward net, OptimizerSpec optimizerSpec, ScheduleSettings schedule,
      TrainingSettings settings) {
    this.net = net;
    this.optimizerSpec = optimizerSpec;
    this.schedule = schedule;
    this.settings = settings;
  }

  /** Trains on {@code blocks} (one thread each) from {@code initialParams}; no validation. */
  public double[] fit(List<DataBlock> blocks, double[] initialParams, TrainingListener listener) {
    long total = 0;
    for (DataBlock b : blocks) {
      total += b.rows();
    }
    int steps = ShardSampler.stepsPerEpoch(total, settings.batchSize());
    LearningRateSchedule rates = Schedules.forRun(schedule, optimizerSpec.learningRate(), steps,
        settings.epochs()).create();
    Optimizer optimizer = Optimizer.create(optimizerSpec);
    OptimizerState state = optimizer.init(initialParams.length);
    double[] params = initialParams.clone();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, blocks.size()));
    try {
      long globalStep = 0;
      long started = System.nanoTime();
      for (int epoch = 0; epoch < settings.epochs(); epoch++) {
        long epochStarted = System.nanoTime();
        double epochLoss = 0;
        long epochRows = 0;
        for (int t = 0; t < steps; t++) {
          GradientSum sum = step(pool, blocks, params, epoch, t, steps);
          if (sum.count() == 0) {
            continue;
          }
          double[] grad = sum.objectiveGradient(net.reduction());
          if (settings.clipNorm() > 0) {
            GradientClipping.clipByGlobalNorm(grad, settings.clipNorm());
          }
          optimizer.step(params, grad, state, rates.rate(globalStep++));
          epochLoss += sum.lossSum();
          epochRows += sum.count();
        }
        double seconds = (System.nanoTime() - epochStarted) / 1e9;
        listener.onEpoch(new EpochStats(epoch + 1, settings.epochs(), globalStep,
            (System.nanoTime() - started) / 1e9, epochLoss / Math.max(1, epochRows),
            epochRows / seconds, null));
      }
    } finally {
      pool.shutdownNow();
    }
    return params;
  }

  private GradientSum step(ExecutorService pool, List<DataBlock> blocks, double[] params,
      int epoch, int t, int steps) {
    float[] params32 = settings.precision() == Precision.FLOAT32 ? Precision.toFloat(params) : null;
    List<Future<GradientSum>> parts = new ArrayList<>(blocks.size());
    for (DataBlock b : blocks) {
      parts.add(pool.submit(() -> params32 != null
          ? ShardGradient.compute(net, params32, b, settings.seed(), epoch, t, steps)
          : ShardGradient.compute(net, params, b, settings.seed(), epoch, t, steps)));
    }
    GradientSum sum = new GradientSum();
    try {
      for (Future<GradientSum> f : parts) {
        GradientSum part = f.get();
        if (part != null) {
          sum.merge(part);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
    return sum;
  }
}
