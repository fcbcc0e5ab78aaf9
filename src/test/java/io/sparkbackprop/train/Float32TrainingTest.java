package io.sparkbackprop.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.SparkTestSession;
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
import io.sparkbackprop.optim.OptimizerSpec;
import io.sparkbackprop.optim.OptimizerType;
import io.sparkbackprop.optim.ScheduleType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The float32 path and the Spark-free reference the benchmarks compare against: the reference
 * equals the Spark trainer in float64, and float32 training follows float64 training closely.
 */
class Float32TrainingTest {
  /** Same arithmetic, only the order of the per-partition sums differs. */
  private static final double SAME_STEPS = 1e-12;
  /**
   * float32 gradients differ from float64 ones by ~1e-6 relative; a few dozen SGD-momentum steps
   * of O(0.1) weights at learning rate 0.05 move the weights apart by far less than this.
   */
  private static final double FLOAT32_DRIFT = 1e-4;
  private static final int FEATURES = 5;
  private static final NetworkSpec SPEC = new NetworkSpec(FEATURES, List.of(
      new LayerSpec(7, Activation.TANH, true), new LayerSpec(3, Activation.SOFTMAX, true)));

  /** Rows of {@link #SPEC}'s 5 features and 3 classes, seeded by partition. */
  static DataBlock block(int partition, int rows) {
    SplittableRandom rng = new SplittableRandom(100 + partition);
    double[] x = new double[rows * FEATURES];
    double[] y = new double[rows];
    for (int r = 0; r < rows; r++) {
      double s = 0;
      for (int j = 0; j < FEATURES; j++) {
        x[r * FEATURES + j] = 2 * rng.nextDouble() - 1;
        s += x[r * FEATURES + j];
      }
      y[r] = s < -0.5 ? 0 : s < 0.5 ? 1 : 2;
    }
    return new DataBlock(partition, rows, FEATURES, x, y);
  }

  private static BlockedDataset distribute(int[] sizes) {
    List<Integer> ids = new ArrayList<>();
    for (int p = 0; p < sizes.length; p++) {
      ids.add(p);
    }
    return BlockedDataset.cache(SparkTestSession.context().parallelize(ids, sizes.length)
        .map(p -> block(p, sizes[p])), FEATURES);
  }

  private static List<DataBlock> local(int[] sizes) {
    List<DataBlock> blocks = new ArrayList<>();
    for (int p = 0; p < sizes.length; p++) {
      blocks.add(block(p, sizes[p]));
    }
    return blocks;
  }

  private static Trainer trainer(FeedForward net, TrainingSettings s) {
    return new Trainer(net, OptimizerSpec.defaults(OptimizerType.MOMENTUM).withLearningRate(0.05),
        new ScheduleSettings(ScheduleType.CONSTANT, 1, 1, 0, 0), s);
  }

  @ParameterizedTest(name = "batch={0}")
  @CsvSource({"16", "0"})
  void singleProcessReferenceEqualsTheSparkTrainerInFloat64(int batch) {
    int[] sizes = {40, 0, 25, 33};
    FeedForward net = new FeedForward(SPEC, LossType.CROSS_ENTROPY, Reduction.MEAN);
    TrainingSettings s = new TrainingSettings(3, batch, 5, 0, 2, 0);
    double[] init = Init.XAVIER.initialize(SPEC.layout(), 4);
    double[] spark = trainer(net, s).fit(SparkTestSession.context(), distribute(sizes), null, init,
        TrainingListener.NONE).parameters();
    double[] reference = new SingleProcessTrainer(net,
        OptimizerSpec.defaults(OptimizerType.MOMENTUM).withLearningRate(0.05),
        new ScheduleSettings(ScheduleType.CONSTANT, 1, 1, 0, 0), s).fit(local(sizes), init, TrainingListener.NONE);
    assertArrayEquals(spark, reference, SAME_STEPS);
  }

  /** Full batch on partitions of more than one chunk exercises the float64 chunk sums too. */
  @ParameterizedTest(name = "batch={0} rows={1}")
  @CsvSource({"64, 300", "0, 2500"})
  void float32TrainingFollowsFloat64Training(int batch, int rows) {
    int[] sizes = {rows, rows / 2 + 1};
    BlockedDataset data = distribute(sizes);
    FeedForward net = new FeedForward(SPEC, LossType.CROSS_ENTROPY, Reduction.MEAN);
    TrainingSettings s64 = new TrainingSettings(3, batch, 5, 0, 2, 0);
    double[] init = Init.XAVIER.initialize(SPEC.layout(), 4);
    double[] p64 = trainer(net, s64).fit(SparkTestSession.context(), data, null, init,
        TrainingListener.NONE).parameters();
    double[] p32 = trainer(net, s64.withPrecision(Precision.FLOAT32)).fit(SparkTestSession.context(),
        data, null, init, TrainingListener.NONE).parameters();
    assertArrayEquals(p64, p32, FLOAT32_DRIFT);
    double moved = 0;
    for (int i = 0; i < init.length; i++) {
      moved = Math.max(moved, Math.abs(p64[i] - init[i]));
    }
    assertTrue(moved > 100 * FLOAT32_DRIFT, "training moved the weights by only " + moved);
  }
}
