package io.sparkbackprop.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkbackprop.config.DataSettings;
import io.sparkbackprop.config.FeatureColumns;
import io.sparkbackprop.config.InvalidRowPolicy;
import io.sparkbackprop.config.ScheduleSettings;
import io.sparkbackprop.config.TrainingSettings;
import io.sparkbackprop.data.LabelKind;
import io.sparkbackprop.data.TrainingData;
import io.sparkbackprop.nn.FeedForward;
import io.sparkbackprop.nn.Init;
import io.sparkbackprop.nn.LossType;
import io.sparkbackprop.nn.NetworkSpec;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Reduction;
import io.sparkbackprop.optim.OptimizerSpec;
import io.sparkbackprop.optim.OptimizerType;
import io.sparkbackprop.optim.ScheduleType;
import io.sparkbackprop.train.Trainer;
import io.sparkbackprop.train.TrainingResult;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import javax.management.ObjectName;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * One run of {@link MemoryBench}, in a JVM of its own: synthetic Fashion-MNIST-shaped rows
 * (784 pixel values k/255, 10 classes) generated on the executors, packed and cached through
 * {@link TrainingData#fromDataFrames} (repartitioned and sorted like a user's data), trained with
 * the real {@link Trainer}, and the heap of this JVM measured after full collections.
 */
@Command(name = "memory-run", hidden = true, mixinStandardHelpOptions = true,
    description = "One run of the memory benchmark (started by 'memory' in a child JVM).")
final class MemoryRun implements Callable<Integer> {
  static final int FEATURES = 784;
  static final int CLASSES = 10;
  private static final int INPUT_PARTITIONS = 4;

  @Mixin
  BenchOptions common;

  @Option(names = "--rows", required = true)
  long rows;

  @Option(names = "--validation-rows", required = true)
  long validationRows;

  @Option(names = "--hidden", split = ",", required = true)
  int[] hidden;

  @Option(names = "--epochs", required = true)
  int epochs;

  @Option(names = "--batch", required = true)
  int batch;

  @Option(names = "--precision", required = true)
  String precision;

  @Option(names = "--executor-memory", required = true)
  String executorMemory;

  @Option(names = "--histogram")
  int histogram;

  @Option(names = "--out", required = true)
  Path out;

  @Override
  public Integer call() throws Exception {
    boolean cluster = common.master.startsWith("local-cluster");
    if (cluster) {
      common.sparkConf.putIfAbsent("spark.executor.memory", executorMemory);
      common.sparkConf.putIfAbsent("spark.executor.extraClassPath", codeSource().toString());
    }
    SparkSession spark = common.session("spark-backprop bench memory " + rows);
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("master", common.master);
      r.put("trainRows", rows);
      r.put("validationRows", validationRows);
      r.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
      r.put("heapAfterGcSparkStarted", PeakMemory.retainedBytes());

      PeakMemory.reset();
      DataSettings data = new DataSettings(null, null, 0, FeatureColumns.ofVector("features"), "label",
          false, InvalidRowPolicy.ERROR);
      TrainingData td = TrainingData.fromDataFrames(images(spark, rows, 1), images(spark, validationRows, 2),
          data, LabelKind.classes(CLASSES), common.partitions, 1, null);
      r.put("peakHeapLoad", PeakMemory.peakBytes());
      long cachedTrain = FashionBench.cachedBytes(sc, td.train().blocks().id());
      long cachedValidation = FashionBench.cachedBytes(sc, td.validation().blocks().id());
      r.put("cachedTrainBytes", cachedTrain);
      r.put("cachedValidationBytes", cachedValidation);
      r.put("heapAfterGcLoaded", PeakMemory.retainedBytes());

      NetworkSpec spec = StepCostBench.spec(String.join(",", Arrays.stream(hidden).mapToObj(String::valueOf).toList()));
      FeedForward net = new FeedForward(spec, LossType.CROSS_ENTROPY, Reduction.MEAN);
      Trainer trainer = new Trainer(net, OptimizerSpec.defaults(OptimizerType.ADAM),
          new ScheduleSettings(ScheduleType.CONSTANT, 1, 1, 0, 0),
          new TrainingSettings(epochs, batch, 1, common.partitions, 2, 0)
              .withPrecision(Precision.fromConfigName(precision)));
      PeakMemory.reset();
      long started = System.nanoTime();
      TrainingResult result = trainer.fit(sc, td.train(), td.validation(), Init.HE.initialize(spec.layout(), 1),
          stats -> {
            if (stats.epoch() == epochs) {
              // Still inside Trainer.fit: its parameters, optimizer state and history are live.
              r.put("heapAfterGcEndOfTraining", PeakMemory.retainedBytes());
              List<String> classes = histogram(histogram);
              r.put("heapHistogramEndOfTraining", classes.subList(0, classes.size() - 1));
              r.put("heapHistogramTotal", classes.get(classes.size() - 1));
            }
          });
      r.put("trainingSeconds", (System.nanoTime() - started) / 1e9);
      r.put("peakHeapTraining", PeakMemory.peakBytes());
      r.put("parameters", spec.numParameters());
      r.put("steps", (long) result.stepsPerEpoch() * epochs);
      r.put("sparkJobsRetained", sc.statusTracker().getJobIdsForGroup(null).length);
      long heapEnd = ((Number) r.get("heapAfterGcEndOfTraining")).longValue();
      // local[N]: the executors' cached blocks live in this heap; local-cluster: they do not.
      r.put("driverBytes", cluster ? heapEnd : heapEnd - cachedTrain - cachedValidation);
      r.put("driverMethod", cluster ? "heap after GC of the driver JVM (executors are other JVMs)"
          : "heap after GC minus Spark's size of the cached train and validation blocks (one JVM)");
      td.train().blocks().unpersist(true);
      td.validation().blocks().unpersist(true);
      r.put("heapAfterGcUnpersisted", PeakMemory.retainedBytes());
      r.put("finalTrainLoss", result.history().get(result.history().size() - 1).trainLoss());
      new ObjectMapper().writeValue(out.toFile(), r);
      return 0;
    } finally {
      common.close(spark);
    }
  }

  /**
   * {@code n} rows of 784 pixel values k/255 and a class label, generated on the executors from
   * the row id and {@code seed} (nothing per row passes through the driver).
   */
  static Dataset<Row> images(SparkSession spark, long n, long seed) {
    UserDefinedFunction pixels = functions.udf((UDF1<Long, Vector>) id -> image(id, seed),
        SQLDataTypes.VectorType());
    return spark.range(0, n, 1, INPUT_PARTITIONS).select(
        pixels.apply(functions.col("id")).as("features"),
        functions.col("id").multiply(7919).plus(seed).mod(CLASSES).cast("double").as("label"));
  }

  static Vector image(long id, long seed) {
    SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + id);
    double[] x = new double[FEATURES];
    for (int i = 0; i < FEATURES; i++) {
      x[i] = rng.nextInt(256) / 255.0;
    }
    return Vectors.dense(x);
  }

  /**
   * The first {@code top} classes of this JVM's live-object histogram (taken after a full GC),
   * then its total line: the bytes of the live objects themselves, which the heap's "used" figure
   * exceeds by the unused ends of the regions that hold large arrays.
   */
  static List<String> histogram(int top) {
    try {
      String h = (String) ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
          new Object[] {new String[0]}, new String[] {String[].class.getName()});
      List<String> lines = new ArrayList<>();
      String total = "no total line";
      for (String line : h.split("\n")) {
        String l = line.trim().replaceAll("\\s+", " ");
        if (l.matches("^\\d+:.*") && lines.size() < top) {
          lines.add(l);
        } else if (l.startsWith("Total ")) {
          total = l;
        }
      }
      lines.add(total);
      return lines;
    } catch (javax.management.JMException e) {
      return new ArrayList<>(List.of("no histogram: " + e));
    }
  }

  /** The jar (or classes directory) this class was loaded from: the executors' classpath. */
  static Path codeSource() {
    try {
      return Path.of(MemoryRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What a local-cluster master needs in the child's environment: SPARK_HOME with a jars/ folder
   * (the executors' classpath; the project's dependencies in target/lib) and the Scala version.
   */
  static void clusterEnvironment(Map<String, String> env, Path work) throws IOException {
    Path lib = codeSource().getParent().resolve("lib");
    if (!Files.isDirectory(lib)) {
      throw new IllegalStateException(lib + " is missing: local-cluster masters need the dependencies "
          + "copied by 'mvn package' (jobs/bench.sh builds them)");
    }
    Path home = work.resolve("spark-home");
    if (!Files.exists(home.resolve("jars"))) {
      Files.createDirectories(home);
      Files.createSymbolicLink(home.resolve("jars"), lib.toAbsolutePath());
    }
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
  }
}
