package io.sparkbackprop.bench;

import io.sparkbackprop.config.GradientExchange;
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
import io.sparkbackprop.train.EpochStats;
import io.sparkbackprop.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What one training step costs besides its arithmetic, through the real {@link Trainer}:
 * <ol>
 *   <li>fixed cost: each partition computes one row per step, so broadcast, job, task results and
 *       merging are all real but the math is negligible; by parameter count and partition count;
 *   <li>split: real batches (global {@code --batch}) with the step's time divided by
 *       {@link JobTimes} into scheduling, compute, task I/O, result collection and the driver's
 *       part between jobs;
 *   <li>bare: the weight broadcast alone, and a treeAggregate whose zero value is an eager
 *       parameter-sized array (what the trainer avoids) against a lazily allocated one.
 * </ol>
 */
@Command(name = "steps", mixinStandardHelpOptions = true,
    description = "Per-step cost of training by model size and partition count.")
final class StepCostBench implements Callable<Integer> {
  @Mixin
  BenchOptions common;

  @Option(names = "--models", split = ";",
      description = "hidden layer lists on 784 inputs and 10 outputs (default ${DEFAULT-VALUE})")
  String[] models = {"16", "64", "256,128", "1024,512", "2048,1024"};

  @Option(names = "--partition-counts", split = ",", description = "(default ${DEFAULT-VALUE})")
  int[] partitionCounts = {1, 2, 4, 8};

  @Option(names = "--precisions", split = ",", description = "(default ${DEFAULT-VALUE})")
  String[] precisions = {"float64", "float32"};

  @Option(names = "--exchanges", split = ",",
      description = "training.exchange values of the fixed part; persistentTasks only where every "
          + "partition has a task slot (default ${DEFAULT-VALUE})")
  String[] exchanges = {"treeAggregate", "persistentTasks"};

  @Option(names = "--steps", description = "steps timed per configuration (default ${DEFAULT-VALUE})")
  int steps = 60;

  @Option(names = "--batch", description = "global batch of the split part (default ${DEFAULT-VALUE})")
  int batch = 1024;

  @Option(names = "--split-models", split = ";", description = "models of the split part (default ${DEFAULT-VALUE})")
  String[] splitModels = {"64", "256,128", "1024,512"};

  @Option(names = "--depth", description = "training.aggregationDepth (default ${DEFAULT-VALUE})")
  int depth = 2;

  @Option(names = "--plot", description = "write the fixed-cost chart (SVG) here")
  Path plot;

  @Option(names = "--skip", split = ",", description = "parts to skip: fixed, split, bare")
  List<String> skip = new ArrayList<>();

  private static final int INPUTS = 784;
  private static final int CLASSES = 10;

  @Override
  public Integer call() throws Exception {
    SparkSession spark = common.session("spark-backprop bench steps");
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      JobTimes times = new JobTimes();
      spark.sparkContext().addSparkListener(times);
      Report report = new Report("steps", System.out);
      common.describe(report, spark);
      report.put("depth", depth).put("stepsTimed", steps);
      if (!skip.contains("bare")) {
        bare(sc, report);
      }
      if (!skip.contains("fixed")) {
        List<Map<String, Object>> fixed = new ArrayList<>();
        for (String e : exchanges) {
          GradientExchange exchange = GradientExchange.fromConfigName(e);
          for (String p : precisions) {
            for (int parts : partitionCounts) {
              if (exchange == GradientExchange.PERSISTENT_TASKS && parts > sc.defaultParallelism()) {
                continue;   // a barrier job needs a slot for every partition
              }
              for (String m : models) {
                NetworkSpec spec = spec(m);
                Map<String, Object> row = run(sc, times, spec, parts, Precision.fromConfigName(p), exchange,
                    steps, 1);
                fixed.add(row);
                System.out.println("fixed " + row);
              }
            }
          }
        }
        report.put("fixed", fixed);
        if (plot != null) {
          StepCostChart.write(plot, fixed, "fixed cost of one training step, local[2]");
        }
      }
      if (!skip.contains("split")) {
        List<Map<String, Object>> split = new ArrayList<>();
        for (String m : splitModels) {
          for (int parts : partitionCounts) {
            int perPartition = Math.max(1, batch / parts);
            Map<String, Object> row = run(sc, times, spec(m), parts, Precision.FLOAT32,
                GradientExchange.TREE_AGGREGATE, steps, perPartition);
            split.add(row);
            System.out.println("split " + row);
          }
        }
        report.put("split", split);
      }
      report.append(common.results);
      return 0;
    } finally {
      common.close(spark);
    }
  }

  static NetworkSpec spec(String hidden) {
    List<LayerSpec> layers = new ArrayList<>();
    for (String h : hidden.split(",")) {
      layers.add(new LayerSpec(Integer.parseInt(h.trim()), Activation.RELU, true));
    }
    layers.add(new LayerSpec(CLASSES, Activation.SOFTMAX, true));
    return new NetworkSpec(INPUTS, layers);
  }

  /** Trains {@code steps} steps (after a warm-up epoch) with {@code rowsPerShard} rows per partition per step. */
  private Map<String, Object> run(JavaSparkContext sc, JobTimes times, NetworkSpec spec, int parts,
      Precision precision, GradientExchange exchange, int steps, int rowsPerShard) {
    int rowsPerPartition = steps * rowsPerShard;
    BlockedDataset data = synthetic(sc, parts, rowsPerPartition, 7);
    try {
      FeedForward net = new FeedForward(spec, LossType.CROSS_ENTROPY, Reduction.MEAN);
      Trainer warm = trainer(net, parts * rowsPerShard, 1, precision, exchange);
      double[] init = Init.HE.initialize(spec.layout(), 1);
      warm.fit(sc, data, null, init, EpochStats -> { });
      times.clear();
      List<EpochStats> history = new ArrayList<>();
      trainer(net, parts * rowsPerShard, 1, precision, exchange).fit(sc, data, null, init, history::add);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("parameters", spec.numParameters());
      row.put("model", INPUTS + "-" + hiddenOf(spec) + "-" + CLASSES);
      row.put("partitions", parts);
      row.put("precision", precision.configName());
      row.put("exchange", exchange.configName());
      row.put("rowsPerShard", rowsPerShard);
      row.put("msPerStep", history.get(0).elapsedSeconds() * 1000 / steps);
      row.putAll(times.meanSplit());
      return row;
    } finally {
      data.unpersist();
    }
  }

  private Trainer trainer(FeedForward net, int batchSize, int epochs, Precision precision,
      GradientExchange exchange) {
    return new Trainer(net, OptimizerSpec.defaults(OptimizerType.ADAM),
        new ScheduleSettings(ScheduleType.CONSTANT, 1, 1, 0, 0),
        new TrainingSettings(epochs, batchSize, 1, 0, depth, 0).withPrecision(precision).withExchange(exchange));
  }

  private static String hiddenOf(NetworkSpec spec) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < spec.layers().size() - 1; i++) {
      b.append(i > 0 ? "-" : "").append(spec.layers().get(i).units());
    }
    return b.toString();
  }

  /** {@code parts} partitions of random rows, built inside the tasks and cached. */
  static BlockedDataset synthetic(JavaSparkContext sc, int parts, int rows, long seed) {
    List<Integer> ids = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      ids.add(p);
    }
    return BlockedDataset.cache(sc.parallelize(ids, parts).map(p -> block(p, rows, seed)), INPUTS);
  }

  static DataBlock block(int partition, int rows, long seed) {
    SplittableRandom rng = new SplittableRandom(seed * 1000 + partition);
    double[] x = new double[rows * INPUTS];
    double[] y = new double[rows];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextDouble();
    }
    for (int r = 0; r < rows; r++) {
      y[r] = rng.nextInt(CLASSES);
    }
    return new DataBlock(partition, rows, INPUTS, x, y);
  }

  /** The broadcast alone, and the zero-value lever, at 235k parameters on every partition count. */
  private void bare(JavaSparkContext sc, Report report) {
    int n = spec("256,128").numParameters();
    int reps = Math.max(20, steps);
    double[] weights = new double[n];
    for (int i = 0; i < n; i++) {
      weights[i] = Math.sin(i);
    }
    float[] weights32 = Precision.toFloat(weights);
    for (int rep = 0; rep < 2; rep++) {   // the first round warms up
      long t0 = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        Broadcast<double[]> b = sc.broadcast(weights.clone());
        b.destroy();
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        Broadcast<float[]> b = sc.broadcast(Precision.toFloat(weights));
        b.destroy();
      }
      long t2 = System.nanoTime();
      if (rep == 1) {
        report.put("broadcastMsFloat64", (t1 - t0) / 1e6 / reps);
        report.put("broadcastMsFloat32", (t2 - t1) / 1e6 / reps);
      }
    }
    List<Map<String, Object>> zero = new ArrayList<>();
    for (int parts : partitionCounts) {
      BlockedDataset data = synthetic(sc, parts, 1, 3);
      try {
        for (int rep = 0; rep < 2; rep++) {
          long t0 = System.nanoTime();
          for (int i = 0; i < reps; i++) {
            Broadcast<float[]> b = sc.broadcast(weights32.clone());
            data.blocks().treeAggregate(new BareSums.Eager(n), new BareSums.EagerSeq(b),
                BareSums.Eager::merge, depth);
            b.destroy();
          }
          long t1 = System.nanoTime();
          for (int i = 0; i < reps; i++) {
            Broadcast<float[]> b = sc.broadcast(weights32.clone());
            data.blocks().treeAggregate(new BareSums.Lazy(), new BareSums.LazySeq(b, true),
                BareSums.Lazy::merge, depth);
            b.destroy();
          }
          long t2 = System.nanoTime();
          for (int i = 0; i < reps; i++) {
            Broadcast<float[]> b = sc.broadcast(weights32.clone());
            data.blocks().treeAggregate(new BareSums.Lazy(), new BareSums.LazySeq(b, false),
                BareSums.Lazy::merge, depth);
            b.destroy();
          }
          long t3 = System.nanoTime();
          if (rep == 1) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("partitions", parts);
            row.put("eagerDoubleZeroMs", (t1 - t0) / 1e6 / reps);
            row.put("lazyDoubleZeroMs", (t2 - t1) / 1e6 / reps);
            row.put("lazyFloatZeroMs", (t3 - t2) / 1e6 / reps);
            zero.add(row);
          }
        }
      } finally {
        data.unpersist();
      }
    }
    report.put("bareAggregate", zero);
  }
}
