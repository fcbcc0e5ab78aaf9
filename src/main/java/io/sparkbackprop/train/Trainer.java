package io.sparkbackprop.train;

import io.sparkbackprop.config.ScheduleSettings;
import io.sparkbackprop.config.TrainingSettings;
import io.sparkbackprop.data.BlockedDataset;
import io.sparkbackprop.nn.FeedForward;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Reduction;
import io.sparkbackprop.optim.GradientClipping;
import io.sparkbackprop.optim.LearningRateSchedule;
import io.sparkbackprop.optim.Optimizer;
import io.sparkbackprop.optim.OptimizerSpec;
import io.sparkbackprop.optim.OptimizerState;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The data-parallel training loop, run on the driver. One step:
 * <ol>
 *   <li>broadcast the current weights;
 *   <li>every partition runs forward and backward on its shard of the global mini-batch
 *       ({@link ShardSampler}) and returns {@code (gradient sum, loss sum, row count)};
 *   <li>the sums are combined with {@code treeAggregate};
 *   <li>the driver divides once (reduction mean), clips, and applies the optimizer.
 * </ol>
 * Same seed, data and partitioning give the same model.
 */
public final class Trainer {
  private final FeedForward net;
  private final OptimizerSpec optimizerSpec;
  private final ScheduleSettings schedule;
  private final TrainingSettings settings;

  public Trainer(FeedForward net, OptimizerSpec optimizerSpec, ScheduleSettings schedule,
      TrainingSettings settings) {
    this.net = net;
    this.optimizerSpec = optimizerSpec;
    this.schedule = schedule;
    this.settings = settings;
  }

  /**
   * Trains from {@code initialParams} (not modified).
   *
   * @param validation evaluated after every epoch; may be null
   */
  public TrainingResult fit(JavaSparkContext sc, BlockedDataset train, BlockedDataset validation,
      double[] initialParams, TrainingListener listener) {
    if (initialParams.length != net.layout().size()) {
      throw new IllegalArgumentException("expected " + net.layout().size() + " parameters, got "
          + initialParams.length);
    }
    int steps = ShardSampler.stepsPerEpoch(train.totalRows(), settings.batchSize());
    int epochs = settings.epochs();
    LearningRateSchedule rates = Schedules.forRun(schedule, optimizerSpec.learningRate(), steps,
        epochs).create();
    Optimizer optimizer = Optimizer.create(optimizerSpec);
    OptimizerState state = optimizer.init(initialParams.length);
    double[] params = initialParams.clone();
    List<EpochStats> history = new ArrayList<>();
    long globalStep = 0;
    long started = System.nanoTime();
    for (int epoch = 0; epoch < epochs; epoch++) {
      long epochStarted = System.nanoTime();
      double epochLoss = 0;
      long epochRows = 0;
      for (int t = 0; t < steps; t++) {
        sc.setJobDescription("spark-backprop: epoch " + (epoch + 1) + "/" + epochs + ", step "
            + (t + 1) + "/" + steps);
        GradientSum sum = aggregate(sc, train, params, epoch, t, steps);
        if (sum.count() == 0) {
          continue;   // every partition's shard of this step is empty (tiny partitions)
        }
        double objective = net.objective(sum.lossSum(), sum.count());
        double[] grad = sum.gradient();
        if (net.reduction() == Reduction.MEAN) {
          double scale = 1.0 / sum.count();
          for (int i = 0; i < grad.length; i++) {
            grad[i] *= scale;
          }
        }
        checkFinite(objective, grad, epoch, t, globalStep);
        if (settings.clipNorm() > 0) {
          GradientClipping.clipByGlobalNorm(grad, settings.clipNorm());
        }
        optimizer.step(params, grad, state, rates.rate(globalStep));
        globalStep++;
        epochLoss += sum.lossSum();
        epochRows += sum.count();
      }
      double trainLoss = net.reduction() == Reduction.MEAN ? epochLoss / epochRows : epochLoss / steps;
      Metrics validationMetrics = validation == null ? null
          : Evaluator.evaluate(sc, net, params, validation, settings.aggregationDepth());
      double epochSeconds = (System.nanoTime() - epochStarted) / 1e9;
      EpochStats stats = new EpochStats(epoch + 1, epochs, globalStep,
          (System.nanoTime() - started) / 1e9, trainLoss, epochRows / epochSeconds, validationMetrics);
      history.add(stats);
      listener.onEpoch(stats);
    }
    sc.setJobDescription(null);
    return new TrainingResult(params, state, List.copyOf(history), steps);
  }

  private GradientSum aggregate(JavaSparkContext sc, BlockedDataset train, double[] params,
      int epoch, int step, int steps) {
    // A copy, so the optimizer never writes into an array a local-mode task might still read.
    // Float32 runs broadcast the weights rounded to float32 (half the bytes); the float64 master
    // copy stays here with the optimizer.
    Broadcast<?> weights;
    ShardGradient seqOp;
    if (settings.precision() == Precision.FLOAT32) {
      Broadcast<float[]> w = sc.broadcast(Precision.toFloat(params));
      seqOp = ShardGradient.float32(net, w, settings.seed(), epoch, step, steps);
      weights = w;
    } else {
      Broadcast<double[]> w = sc.broadcast(params.clone());
      seqOp = new ShardGradient(net, w, settings.seed(), epoch, step, steps);
      weights = w;
    }
    try {
      return train.blocks().treeAggregate(new GradientSum(), seqOp, GradientSum::merge,
          settings.aggregationDepth());
    } finally {
      weights.destroy();
    }
  }

  private static void checkFinite(double objective, double[] grad, int epoch, int step, long globalStep) {
    String what = null;
    if (!Double.isFinite(objective)) {
      what = "the loss is " + objective;
    } else {
      for (double g : grad) {
        if (!Double.isFinite(g)) {
          what = "the gradient has a " + g + " entry";
          break;
        }
      }
    }
    if (what != null) {
      throw new DivergedException("training diverged at epoch " + (epoch + 1) + " step " + (step + 1)
          + " (global step " + (globalStep + 1) + "): " + what
          + "; lower optimizer.learningRate or set optimizer.clipNorm");
    }
  }
}
