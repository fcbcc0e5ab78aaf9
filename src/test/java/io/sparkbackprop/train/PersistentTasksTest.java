package io.sparkbackprop.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.SparkTestSession;
import io.sparkbackprop.config.EarlyStoppingSettings;
import io.sparkbackprop.config.GradientExchange;
import io.sparkbackprop.config.InvalidConfigException;
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
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.spark.HashPartitioner;
import org.apache.spark.ShuffleDependency;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.RDDBlockId;
import scala.Tuple2;
import org.apache.spark.sql.SparkSession;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code training.exchange = persistentTasks} takes the same steps as a job per step: the same
 * weights to the last bit, in both precisions, with empty partitions and full batches, with
 * validation and early stopping; and it refuses what barrier jobs cannot do.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)   // a lost reply would otherwise hang the build
class PersistentTasksTest {
  private static final int FEATURES = 5;
  private static final NetworkSpec SPEC = new NetworkSpec(FEATURES, List.of(
      new LayerSpec(7, Activation.TANH, true), new LayerSpec(3, Activation.SOFTMAX, true)));
  private static final FeedForward NET = new FeedForward(SPEC, LossType.CROSS_ENTROPY, Reduction.MEAN);
  private static final OptimizerSpec ADAM = OptimizerSpec.defaults(OptimizerType.ADAM).withLearningRate(0.01);
  private static final ScheduleSettings COSINE = new ScheduleSettings(ScheduleType.COSINE, 1, 1, 0.001, 0);

  private static DataBlock block(int partition, int rows) {
    return Float32TrainingTest.block(partition, rows);   // the same network shape as that test's
  }

  private static BlockedDataset distribute(int... sizes) {
    return distribute(SparkTestSession.context(), sizes);
  }

  private static BlockedDataset distribute(JavaSparkContext sc, int... sizes) {
    List<Integer> ids = new ArrayList<>();
    for (int p = 0; p < sizes.length; p++) {
      ids.add(p);
    }
    return BlockedDataset.cache(sc.parallelize(ids, sizes.length).map(p -> block(p, sizes[p])), FEATURES);
  }

  private static TrainingResult fit(BlockedDataset data, BlockedDataset validation, TrainingSettings s,
      OptimizerSpec optimizer) {
    return fit(SparkTestSession.context(), data, validation, s, optimizer);
  }

  private static TrainingResult fit(JavaSparkContext sc, BlockedDataset data, BlockedDataset validation,
      TrainingSettings s, OptimizerSpec optimizer) {
    double[] init = Init.XAVIER.initialize(SPEC.layout(), 4);
    return new Trainer(NET, optimizer, COSINE, s).fit(sc, data, validation, init, TrainingListener.NONE);
  }

  /**
   * Seven partitions make both exchanges add the sums in a tree (two groups at depth 2, seven
   * terms at depth 1): the driver's additions follow it exactly. A session of its own with seven
   * task slots, since every partition needs one.
   */
  @ParameterizedTest(name = "depth={0}")
  @CsvSource({"1", "2"})
  void manyPartitionsAddTheirSumsInTheSameTreeAsAJobPerStep(int depth) {
    SparkTestSession.stop();
    SparkSession own = SparkSession.builder().config(SparkSessions.baseConf()).master("local[7]")
        .appName("spark-backprop-persistent-tasks-test").config("spark.kryo.registrationRequired", "true")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(own.sparkContext());
      BlockedDataset data = distribute(sc, 300, 17, 250, 90, 41, 120, 77);
      TrainingSettings tree = new TrainingSettings(3, 64, 5, 0, depth, 0).withPrecision(Precision.FLOAT32);
      TrainingResult expected = fit(sc, data, null, tree, ADAM);
      TrainingResult persistent = fit(sc, data, null, tree.withExchange(GradientExchange.PERSISTENT_TASKS), ADAM);
      assertArrayEquals(expected.parameters(), persistent.parameters(), 0.0);
      assertEquals(expected.optimizerState(), persistent.optimizerState());
    } finally {
      own.stop();
    }
  }

  @ParameterizedTest(name = "sizes={0} batch={1} {2}")
  @CsvSource({
      "'40,25', 16, FLOAT64", "'40,25', 16, FLOAT32", "'40,0', 8, FLOAT64", "'70', 32, FLOAT32",
      "'40,25', 0, FLOAT64", "'3000,2000', 1500, FLOAT32"})
  void takesBitForBitTheStepsOfAJobPerStep(String sizes, int batch, Precision precision) {
    int[] rows = java.util.Arrays.stream(sizes.split(",")).mapToInt(Integer::parseInt).toArray();
    BlockedDataset data = distribute(rows);
    TrainingSettings tree = new TrainingSettings(4, batch, 5, 0, 2, 0).withPrecision(precision);
    TrainingResult expected = fit(data, null, tree, ADAM);
    TrainingResult persistent = fit(data, null, tree.withExchange(GradientExchange.PERSISTENT_TASKS), ADAM);

    assertArrayEquals(expected.parameters(), persistent.parameters(), 0.0);
    assertEquals(expected.optimizerState(), persistent.optimizerState());
    assertEquals(expected.history().size(), persistent.history().size());
    for (int e = 0; e < expected.history().size(); e++) {
      assertEquals(expected.history().get(e).trainLoss(), persistent.history().get(e).trainLoss(), 0.0);
      assertEquals(expected.history().get(e).step(), persistent.history().get(e).step());
    }
    double moved = 0;
    double[] init = Init.XAVIER.initialize(SPEC.layout(), 4);
    for (int i = 0; i < init.length; i++) {
      moved = Math.max(moved, Math.abs(persistent.parameters()[i] - init[i]));
    }
    assertTrue(moved > 1e-3, "training moved the weights by only " + moved);
    data.unpersist();
  }

  @Test
  void validationAndEarlyStoppingSeeTheSameEpochs() {
    BlockedDataset data = distribute(60, 45);
    BlockedDataset validation = distribute(30, 20);
    TrainingSettings s = new TrainingSettings(30, 16, 5, 0, 2, 0, Precision.FLOAT64,
        new EarlyStoppingSettings("validationLoss", 2, 0.0), new io.sparkbackprop.config.CheckpointSettings(null, 0, 1));
    OptimizerSpec fast = OptimizerSpec.defaults(OptimizerType.ADAM).withLearningRate(0.2);
    TrainingResult expected = fit(data, validation, s, fast);
    TrainingResult persistent = fit(data, validation, s.withExchange(GradientExchange.PERSISTENT_TASKS), fast);

    assertTrue(expected.stopReason() != null, "the run should stop early: " + expected.history().size());
    assertEquals(expected.stopReason(), persistent.stopReason());
    assertArrayEquals(expected.parameters(), persistent.parameters(), 0.0);
    for (int e = 0; e < expected.history().size(); e++) {
      assertEquals(expected.history().get(e).validation().loss(),
          persistent.history().get(e).validation().loss(), 0.0);
    }
  }

  @Test
  void refusesMorePartitionsThanTaskSlotsWithOneLine() {
    BlockedDataset data = distribute(10, 10, 10);   // the shared session is local[2]
    TrainingSettings s = new TrainingSettings(1, 8, 5, 0, 2, 0)
        .withExchange(GradientExchange.PERSISTENT_TASKS);
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> fit(data, null, s, ADAM));
    assertEquals("training.exchange = persistentTasks needs a task slot for each of the 3 training"
        + " partitions at once, but Spark offers 2; set training.partitions to at most 2, add"
        + " executors, or use training.exchange = treeAggregate", e.getMessage());
  }

  @Test
  void refusesPartitionsThatComeStraightFromAUnionWithOneLine() {
    JavaSparkContext sc = SparkTestSession.context();
    BlockedDataset data = BlockedDataset.cache(sc.parallelize(List.of(0), 1).union(sc.parallelize(List.of(1), 1))
        .map(p -> block(p, 20)), FEATURES);
    TrainingSettings s = new TrainingSettings(1, 8, 5, 0, 2, 0)
        .withExchange(GradientExchange.PERSISTENT_TASKS);
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> fit(data, null, s, ADAM));
    assertTrue(e.getMessage().startsWith("training.exchange = persistentTasks: Spark cannot run the training"
        + " partitions as one barrier stage"), e.getMessage());
    assertEquals(1, fit(data, null, s.withExchange(GradientExchange.TREE_AGGREGATE), ADAM).history().size());
    data.unpersist();
  }

  @Test
  void divergenceStopsTheEpochsJobAndSparkRemainsUsable() {
    BlockedDataset data = distribute(40, 25);
    FeedForward regression = new FeedForward(new NetworkSpec(FEATURES, List.of(
        new LayerSpec(7, Activation.RELU, true), new LayerSpec(1, Activation.LINEAR, true))),
        LossType.MSE, Reduction.MEAN);
    TrainingSettings s = new TrainingSettings(50, 10, 5, 0, 2, 0)
        .withExchange(GradientExchange.PERSISTENT_TASKS);
    DivergedException e = assertThrows(DivergedException.class, () -> new Trainer(regression,
        OptimizerSpec.defaults(OptimizerType.SGD).withLearningRate(1e8), COSINE, s)
        .fit(SparkTestSession.context(), data, null, Init.HE.initialize(regression.layout(), 2),
            TrainingListener.NONE));
    assertTrue(e.getMessage().startsWith("training diverged at epoch "), e.getMessage());
    // The barrier job was cancelled, not left waiting for weights: the next training runs.
    TrainingResult after = fit(data, null, s.withPrecision(Precision.FLOAT32), ADAM);
    assertEquals(50, after.history().size());
    data.unpersist();
  }

  /**
   * A task of the epoch's barrier job that fails with a FetchFailed (its cached block is gone and
   * so are the shuffle files it is recomputed from) while the other task waits for the driver's
   * weights. Spark does not kill the other tasks of a barrier stage that fails on a fetch (its
   * SPARK-17064 TODO): if Spark retried the stage, the waiting task would hold its slot forever
   * and the retry would never start. The driver submits the epoch as a new job instead; the model
   * is a job per step's, bit for bit. A session of its own: Spark handles the fetch failure by
   * forgetting the local executor's blocks.
   */
  @Test
  void aFetchFailureInOneTaskRepeatsTheEpochWithAllTasks() throws Exception {
    SparkTestSession.stop();
    SparkSession own = SparkSession.builder().config(SparkSessions.baseConf()).master("local[2]")
        .appName("spark-backprop-persistent-tasks-fetch-failure-test")
        .config("spark.kryo.registrationRequired", "true").config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(own.sparkContext());
      int[] sizes = {40, 25};
      // Partition p of the shuffle holds key p: the blocks are those of distribute(40, 25).
      JavaPairRDD<Integer, Integer> shuffled = sc.parallelize(List.of(0, 1), 2).mapToPair(p -> new Tuple2<>(p, p))
          .partitionBy(new HashPartitioner(2));
      BlockedDataset data = BlockedDataset.cache(shuffled.values().map(p -> block(p, sizes[p])), FEATURES);
      TrainingSettings s = new TrainingSettings(4, 16, 5, 0, 2, 0).withPrecision(Precision.FLOAT64);
      TrainingResult expected = fit(sc, data, null, s, ADAM);

      int shuffleId = ((ShuffleDependency<?, ?, ?>) shuffled.rdd().dependencies().head()).shuffleId();
      List<String> messages = new ArrayList<>();
      TrainingListener breakAfterEpoch1 = new TrainingListener() {
        @Override
        public void onEpoch(EpochStats stats) {
          if (stats.epoch() == 1) {
            loseBlockAndItsShuffleFiles(data, 1, shuffleId);
          }
        }

        @Override
        public void onMessage(String message) {
          messages.add(message);
        }
      };
      double[] init = Init.XAVIER.initialize(SPEC.layout(), 4);
      TrainingResult persistent = new Trainer(NET, ADAM, COSINE, s.withExchange(GradientExchange.PERSISTENT_TASKS))
          .fit(sc, data, null, init, breakAfterEpoch1);

      assertEquals(1, messages.size(), messages.toString());
      assertTrue(messages.get(0).startsWith("the persistent tasks of epoch 2 failed; repeating the epoch from its"
          + " start, attempt 2 of 4 after org.apache.spark.shuffle.FetchFailedException"), messages.get(0));
      assertArrayEquals(expected.parameters(), persistent.parameters(), 0.0);
      assertEquals(expected.optimizerState(), persistent.optimizerState());
    } finally {
      own.stop();
    }
  }

  /** A cancelled epoch job (the Spark UI's kill, a job group) stops training; it is not retried. */
  @Test
  void aCancelledEpochJobStopsTrainingWithoutARetry() {
    JavaSparkContext sc = SparkTestSession.context();
    BlockedDataset data = distribute(40, 25);
    TrainingSettings s = new TrainingSettings(200, 1, 5, 0, 2, 0).withExchange(GradientExchange.PERSISTENT_TASKS);
    List<String> messages = new ArrayList<>();
    AtomicBoolean armed = new AtomicBoolean();
    // Cancels every epoch job that starts once epoch 1 is done, as the Spark UI's kill link would.
    SparkListener canceller = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        String description = start.properties().getProperty("spark.job.description");
        if (armed.get() && description != null && description.contains("persistent tasks")) {
          sc.sc().cancelJob(start.jobId());
        }
      }
    };
    TrainingListener cancelAfterEpoch1 = new TrainingListener() {
      @Override
      public void onEpoch(EpochStats stats) {
        armed.set(true);
      }

      @Override
      public void onMessage(String message) {
        messages.add(message);
      }
    };
    sc.sc().addSparkListener(canceller);
    StepFailedException e = assertThrows(StepFailedException.class, () -> new Trainer(NET, ADAM, COSINE, s)
        .fit(sc, data, null, Init.XAVIER.initialize(SPEC.layout(), 4), cancelAfterEpoch1));
    assertEquals("SPARK_JOB_CANCELLED", ((SparkException) e.getCause()).getCondition(), e.getCause().getMessage());
    sc.sc().removeSparkListener(canceller);
    assertEquals(List.of(), messages, "no epoch was repeated");
    assertEquals(1, fit(data, null, s.withEpochs(1), ADAM).history().size(), "Spark remains usable");
    data.unpersist();
  }

  /** The cause named when no task could report its own: Spark's job-abort messages, as 4.2.0 words them. */
  @Test
  void describesAFailedJobByTheReasonInSparksMessage() {
    String abort = "Job aborted due to stage failure: Could not recover from a failed barrier ResultStage. Most"
        + " recent failure reason: ";
    assertEquals("partition 1: ExecutorLostFailure (executor 1 exited caused by one of the running tasks) Reason:"
        + " Command exited with code 137", PersistentTasks.describe(new SparkException(abort + "Stage failed"
        + " because barrier task ResultTask(27, 1) finished unsuccessfully.\nExecutorLostFailure (executor 1 exited"
        + " caused by one of the running tasks) Reason: Command exited with code 137"), null));
    assertEquals("org.apache.spark.shuffle.FetchFailedException", PersistentTasks.describe(new SparkException(abort
        + "org.apache.spark.shuffle.FetchFailedException\n\tat org.apache.spark.storage.ShuffleBlockFetcherIterator"
        + ".throwFetchFailedException(ShuffleBlockFetcherIterator.scala:1259)\nCaused by: IOException"), null));
    assertEquals("Job cancelled", PersistentTasks.describe(new SparkException("Job cancelled"), null));
    assertEquals("partition 0: java.lang.IllegalStateException: boom", PersistentTasks.describe(
        new SparkException(abort + "anything"), "partition 0: java.lang.IllegalStateException: boom"));
  }

  /** Removes the cached block of {@code partition} and deletes the files of shuffle {@code shuffleId}. */
  private static void loseBlockAndItsShuffleFiles(BlockedDataset data, int partition, int shuffleId) {
    BlockManager blocks = SparkEnv.get().blockManager();
    blocks.removeBlock(new RDDBlockId(data.blocks().rdd().id(), partition), true);
    int deleted = 0;
    for (File dir : blocks.diskBlockManager().localDirs()) {
      try (Stream<Path> files = Files.walk(dir.toPath())) {
        for (Path f : files.filter(f -> f.getFileName().toString()
            .startsWith("shuffle_" + shuffleId + "_")).toList()) {
          Files.delete(f);
          deleted++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    assertTrue(deleted > 0, "no files of shuffle " + shuffleId + " found");
  }
}
