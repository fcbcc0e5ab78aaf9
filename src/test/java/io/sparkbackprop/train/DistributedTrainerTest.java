package io.sparkbackprop.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.SparkTestSession;
import io.sparkbackprop.config.CheckpointSettings;
import io.sparkbackprop.config.EarlyStoppingSettings;
import io.sparkbackprop.config.ScheduleSettings;
import io.sparkbackprop.config.TrainingSettings;
import io.sparkbackprop.data.BlockedDataset;
import io.sparkbackprop.data.DataBlock;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.FeedForward;
import io.sparkbackprop.nn.Init;
import io.sparkbackprop.nn.LayerSpec;
import io.sparkbackprop.nn.LossType;
import io.sparkbackprop.nn.NetworkSpec;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Reduction;
import io.sparkbackprop.nn.Workspace;
import io.sparkbackprop.optim.GradientClipping;
import io.sparkbackprop.optim.LearningRateSchedule;
import io.sparkbackprop.optim.Optimizer;
import io.sparkbackprop.optim.OptimizerSpec;
import io.sparkbackprop.optim.OptimizerState;
import io.sparkbackprop.optim.OptimizerType;
import io.sparkbackprop.optim.ScheduleType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The Spark trainer against a single-process computation of the same steps: the global batch of
 * each step is gathered in one place, run through one forward/backward pass, divided, clipped and
 * applied. Only summation order differs, so the two agree to rounding.
 */
class DistributedTrainerTest {
  /** Summation order differs (per-partition sums, tree combine); ~100 steps of O(1) weights. */
  private static final double SAME_STEPS = 1e-12;
  private static final int FEATURES = 3;
  private static final int CLASSES = 3;

  private static final NetworkSpec SPEC = new NetworkSpec(FEATURES, List.of(
      new LayerSpec(6, Activation.TANH, true), new LayerSpec(CLASSES, Activation.SOFTMAX, true)));

  /** Partitions with these row counts, empty ones included. */
  private static List<DataBlock> blocks(int[] sizes, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<DataBlock> out = new ArrayList<>();
    for (int p = 0; p < sizes.length; p++) {
      int n = sizes[p];
      double[] x = new double[n * FEATURES];
      double[] y = new double[n];
      for (int r = 0; r < n; r++) {
        double s = 0;
        for (int j = 0; j < FEATURES; j++) {
          x[r * FEATURES + j] = 2 * rng.nextDouble() - 1;
          s += x[r * FEATURES + j] * (j + 1);
        }
        y[r] = s < -0.5 ? 0 : s < 0.5 ? 1 : 2;
      }
      out.add(new DataBlock(p, n, FEATURES, x, y));
    }
    return out;
  }

  /**
   * The same blocks as {@link #blocks}, built inside the tasks: a parallelized collection of the
   * blocks themselves would ship every block inside every task of every step.
   */
  private static BlockedDataset distribute(int[] sizes, long seed) {
    JavaSparkContext sc = SparkTestSession.context();
    List<Integer> partitions = new ArrayList<>();
    for (int p = 0; p < sizes.length; p++) {
      partitions.add(p);
    }
    return BlockedDataset.cache(
        sc.parallelize(partitions, sizes.length).map(p -> blocks(sizes, seed).get(p)), FEATURES);
  }

  @ParameterizedTest(name = "{0} {1} batch={2} depth={3} clip={4}")
  @CsvSource({
      "ADAM, MEAN, 8, 2, 0",
      "MOMENTUM, SUM, 8, 3, 0",
      "NESTEROV, MEAN, 0, 2, 0",
      "ADAMW, MEAN, 5, 1, 0.05",
      "RMSPROP, MEAN, 16, 2, 0",
  })
  void sparkRunEqualsSingleProcessComputationOfTheSameSteps(OptimizerType type, Reduction reduction,
      int batch, int depth, double clip) {
    int[] sizes = {7, 0, 13, 0, 20, 1, 9, 11, 3};   // nine partitions: the tree really combines in levels
    List<DataBlock> data = blocks(sizes, 5);
    BlockedDataset distributed = distribute(sizes, 5);
    FeedForward net = new FeedForward(SPEC, LossType.CROSS_ENTROPY, reduction);
    OptimizerSpec opt = OptimizerSpec.defaults(type).withLearningRate(0.05);
    ScheduleSettings schedule = new ScheduleSettings(ScheduleType.COSINE, 1, 1, 0.001, 1);
    TrainingSettings settings = new TrainingSettings(4, batch, 17, 0, depth, clip);
    double[] init = Init.XAVIER.initialize(SPEC.layout(), 3);

    TrainingResult spark = new Trainer(net, opt, schedule, settings)
        .fit(SparkTestSession.context(), distributed, null, init, TrainingListener.NONE);
    double[] reference = singleProcess(net, opt, schedule, settings, data, init);

    assertArrayEquals(reference, spark.parameters(), SAME_STEPS);
    assertEquals(4 * ShardSampler.stepsPerEpoch(64, batch), spark.history().get(3).step());
  }

  @Test
  void sameSeedDataAndPartitioningGiveTheSameModelBitForBit() {
    BlockedDataset data = distribute(new int[] {30, 0, 25}, 8);
    FeedForward net = new FeedForward(SPEC, LossType.CROSS_ENTROPY, Reduction.MEAN);
    Trainer trainer = new Trainer(net, OptimizerSpec.defaults(OptimizerType.ADAM),
        new ScheduleSettings(ScheduleType.CONSTANT, 1, 1, 0, 0), new TrainingSettings(3, 10, 4, 0, 2, 0));
    double[] init = Init.HE.initialize(SPEC.layout(), 1);
    double[] a = trainer.fit(SparkTestSession.context(), data, null, init, TrainingListener.NONE).parameters();
    double[] b = trainer.fit(SparkTestSession.context(), data, null, init, TrainingListener.NONE).parameters();
    assertArrayEquals(a, b, 0.0);
  }

  @Test
  void trainingLowersTheLossAndValidationIsReportedEachEpoch() {
    BlockedDataset train = distribute(new int[] {200, 150, 0, 250}, 1);
    BlockedDataset validation = distribute(new int[] {100, 100}, 2);
    FeedForward net = new FeedForward(SPEC, LossType.CROSS_ENTROPY, Reduction.MEAN);
    List<EpochStats> seen = new ArrayList<>();
    TrainingResult result = new Trainer(net, OptimizerSpec.defaults(OptimizerType.ADAM).withLearningRate(0.05),
        new ScheduleSettings(ScheduleType.CONSTANT, 1, 1, 0, 0), new TrainingSettings(10, 64, 4, 0, 2, 0))
        .fit(SparkTestSession.context(), train, validation, Init.XAVIER.initialize(SPEC.layout(), 2), seen::add);
    assertEquals(10, seen.size());
    assertEquals(result.history(), seen);
    assertTrue(seen.get(9).trainLoss() < 0.6 * seen.get(0).trainLoss(),
        "loss " + seen.get(0).trainLoss() + " -> " + seen.get(9).trainLoss());
    Metrics v = seen.get(9).validation();
    assertEquals(200, v.rows());
    // The classes are thresholds of a linear function: a 6-unit tanh net separates them well.
    assertTrue(v.accuracy() > 0.85, "validation accuracy " + v.accuracy());
  }

  @Test
  void earlyStoppingStopsAfterPatienceAndRestoresTheBestEpochsWeights() {
    // Validation labels are the training rule with classes 0 and 2 swapped: the better the net
    // learns the training data, the worse it does there, so the best epoch comes early.
    BlockedDataset train = distribute(new int[] {150, 150}, 1);
    BlockedDataset validation = BlockedDataset.cache(SparkTestSession.context()
        .parallelize(List.of(0), 1).map(p -> {
          DataBlock b = blocks(new int[] {200}, 9).get(0);
          double[] y = b.labels().clone();
          for (int i = 0; i < y.length; i++) {
            y[i] = 2 - y[i];
          }
          return new DataBlock(0, b.rows(), FEATURES, b.features(), y);
        }), FEATURES);
    FeedForward net = new FeedForward(SPEC, LossType.CROSS_ENTROPY, Reduction.MEAN);
    TrainingSettings settings = new TrainingSettings(40, 32, 4, 0, 2, 0, Precision.FLOAT64,
        new EarlyStoppingSettings("validationLoss", 3, 0), new CheckpointSettings(null, 0, 1));
    TrainingResult result = new Trainer(net, OptimizerSpec.defaults(OptimizerType.ADAM).withLearningRate(0.05),
        new ScheduleSettings(ScheduleType.CONSTANT, 1, 1, 0, 0), settings)
        .fit(SparkTestSession.context(), train, validation, Init.XAVIER.initialize(SPEC.layout(), 2),
            TrainingListener.NONE);
    List<EpochStats> h = result.history();
    int best = 0;
    for (int i = 1; i < h.size(); i++) {
      if (h.get(i).validation().loss() < h.get(best).validation().loss()) {
        best = i;
      }
    }
    assertTrue(h.size() < 40, "stopped early, after " + h.size() + " epochs");
    assertEquals(best + 1 + 3, h.size(), "stops exactly `patience` epochs after the best");
    assertTrue(result.stopReason().startsWith("early stopping after epoch " + h.size()
        + ": validationLoss did not improve by more than 0.0 for 3 epochs; restored the weights of epoch "
        + (best + 1)), result.stopReason());
    Metrics restored = Evaluator.evaluate(SparkTestSession.context(), net, result.parameters(), validation, 2);
    assertEquals(h.get(best).validation().loss(), restored.loss(), 1e-12, "the best epoch's weights");
  }

  @Test
  void aNonFiniteLossStopsTrainingNamingTheStep() {
    BlockedDataset train = distribute(new int[] {50, 50}, 3);
    FeedForward net = new FeedForward(new NetworkSpec(FEATURES, List.of(
        new LayerSpec(8, Activation.RELU, true), new LayerSpec(CLASSES, Activation.SOFTMAX, true))),
        LossType.CROSS_ENTROPY, Reduction.SUM);
    DivergedException e = org.junit.jupiter.api.Assertions.assertThrows(DivergedException.class,
        () -> new Trainer(net, OptimizerSpec.defaults(OptimizerType.SGD).withLearningRate(1e8),
            new ScheduleSettings(ScheduleType.CONSTANT, 1, 1, 0, 0), new TrainingSettings(50, 10, 4, 0, 2, 0))
            .fit(SparkTestSession.context(), train, null, Init.HE.initialize(net.layout(), 2), TrainingListener.NONE));
    assertTrue(e.getMessage().matches("training diverged at epoch \\d+ step \\d+ \\(global step \\d+\\): "
        + "the (loss is (NaN|Infinity)|gradient has a (NaN|Infinity|-Infinity) entry); lower "
        + "optimizer.learningRate or set optimizer.clipNorm"), e.getMessage());
  }

  /** The same steps, computed in one process with the global batch gathered in one matrix. */
  static double[] singleProcess(FeedForward net, OptimizerSpec optSpec, ScheduleSettings schedule,
      TrainingSettings s, List<DataBlock> data, double[] init) {
    long total = data.stream().mapToLong(DataBlock::rows).sum();
    int steps = ShardSampler.stepsPerEpoch(total, s.batchSize());
    LearningRateSchedule rates = Schedules.forRun(schedule, optSpec.learningRate(), steps, s.epochs()).create();
    Optimizer opt = Optimizer.create(optSpec);
    OptimizerState state = opt.init(init.length);
    double[] params = init.clone();
    Workspace ws = new Workspace(net.spec(), (int) total);
    long globalStep = 0;
    for (int epoch = 0; epoch < s.epochs(); epoch++) {
      for (int t = 0; t < steps; t++) {
        int rows = 0;
        for (DataBlock b : data) {
          int[] perm = ShardSampler.permutation(s.seed(), epoch, b.partition(), b.rows());
          int start = ShardSampler.shardStart(b.rows(), t, steps);
          int end = ShardSampler.shardStart(b.rows(), t + 1, steps);
          for (int i = start; i < end; i++) {
            System.arraycopy(b.features(), perm[i] * FEATURES, ws.input, rows * FEATURES, FEATURES);
            ws.labels[rows++] = b.labels()[perm[i]];
          }
        }
        if (rows == 0) {
          continue;
        }
        double[] grad = new double[params.length];
        net.lossAndGradient(params, ws, rows, grad);
        if (net.reduction() == Reduction.MEAN) {
          for (int i = 0; i < grad.length; i++) {
            grad[i] /= rows;
          }
        }
        if (s.clipNorm() > 0) {
          GradientClipping.clipByGlobalNorm(grad, s.clipNorm());
        }
        opt.step(params, grad, state, rates.rate(globalStep++));
      }
    }
    return params;
  }
}
