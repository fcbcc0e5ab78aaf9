package io.sparkbackprop.bench;

import io.sparkbackprop.config.ConfigLoader;
import io.sparkbackprop.config.GradientExchange;
import io.sparkbackprop.config.TrainConfig;
import io.sparkbackprop.data.DataBlock;
import io.sparkbackprop.data.TrainingData;
import io.sparkbackprop.nn.FeedForward;
import io.sparkbackprop.nn.NetworkSpec;
import io.sparkbackprop.train.EpochStats;
import io.sparkbackprop.train.SingleProcessTrainer;
import io.sparkbackprop.train.TrainRun;
import io.sparkbackprop.train.Trainer;
import io.sparkbackprop.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.RDDInfo;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Fashion-MNIST end to end on one Spark: spark-backprop to a target test accuracy, the same kernel
 * without Spark (so the Spark overhead is a measured ratio), and Spark ML's MLPC.
 */
@Command(name = "fashion", mixinStandardHelpOptions = true,
    description = "Time to accuracy on Fashion-MNIST: spark-backprop vs the same kernel without Spark vs MLPC.")
final class FashionBench implements Callable<Integer> {
  @Mixin
  BenchOptions common;

  @Option(names = "--idx", description = "directory of the IDX files (default ${DEFAULT-VALUE})")
  Path idx = Path.of(FashionMnist.DEFAULT_DIR);

  @Option(names = "--data", description = "parquet cache of the converted data (default ${DEFAULT-VALUE})")
  Path data = Path.of("target/bench-data/fashion-mnist");

  @Option(names = "--limit", description = "use only the first N rows of each split (0 = all); for smoke tests")
  int limit;

  @Option(names = "--hidden", split = ",", description = "hidden layer sizes (default ${DEFAULT-VALUE})")
  int[] hidden = {256, 128};

  @Option(names = "--epochs", description = "epochs of the time-to-accuracy run (default ${DEFAULT-VALUE})")
  int epochs = 15;

  @Option(names = "--target", description = "test accuracy to reach (default ${DEFAULT-VALUE})")
  double target = 0.88;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "training config overrides for spark-backprop, e.g. --set training.batchSize=512")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--repeat", description = "time-to-accuracy runs, for the spread (default ${DEFAULT-VALUE})")
  int repeat = 1;

  @Option(names = "--warmup-epochs", description = "untimed epochs of the same training first, and an untimed "
      + "2-iteration MLPC fit, so that both timed runs start with compiled code (default ${DEFAULT-VALUE})")
  int warmupEpochs = 1;

  @Option(names = "--overhead-epochs",
      description = "epochs timed, without evaluation, for Spark vs single-process (0 = skip; default ${DEFAULT-VALUE})")
  int overheadEpochs = 3;

  @Option(names = "--overhead-batch", description = "batch size of that comparison (default ${DEFAULT-VALUE})")
  int overheadBatch = 1024;

  @Option(names = "--overhead-exchanges", split = ",",
      description = "training.exchange values compared with the single process (default ${DEFAULT-VALUE})")
  List<String> overheadExchanges = List.of("treeAggregate", "persistentTasks");

  @Option(names = "--mlpc-iters", split = ",",
      description = "MLPC maxIter values, each a separate fit (empty = skip; default ${DEFAULT-VALUE})")
  int[] mlpcIters = {100};

  @Override
  public Integer call() throws Exception {
    SparkSession spark = common.session("spark-backprop bench fashion");
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      Path dataDir = limit > 0 ? data.resolveSibling(data.getFileName() + "-" + limit) : data;
      FashionMnist.convert(spark, idx, dataDir, limit);
      Report report = new Report("fashion", System.out);
      common.describe(report, spark);
      report.put("hidden", Arrays.toString(hidden)).put("overrides", overrides);

      Path configFile = writeConfig(dataDir);
      TrainConfig config = ConfigLoader.load(configFile, overrides);
      report.put("batchSize", config.training().batchSize())
          .put("precision", precision(config))
          .put("optimizer", config.optimizer().type() + " lr=" + config.optimizer().learningRate());
      PeakMemory.reset();
      long loadStart = System.nanoTime();
      TrainingData td = TrainingData.load(spark, config.data(), TrainRun.labelKind(config),
          common.partitions, config.training().seed(), null);
      report.put("loadSeconds", (System.nanoTime() - loadStart) / 1e9);
      long rows = td.train().totalRows();
      int d = td.schema().numFeatures();
      report.put("trainRows", rows).put("testRows", td.validation().totalRows());
      long cached = cachedBytes(sc, td.train().blocks().id());
      report.put("cachedTrainBytes", cached)
          .put("rawFeatureBytesFloat64", rows * d * 8L)
          .put("cachedOverRawFloat64", (double) cached / (rows * d * 8.0));

      NetworkSpec spec = new NetworkSpec(d, config.layers());
      FeedForward net = new FeedForward(spec, config.loss(), config.reduction());
      double flopsPerRow = Flops.perTrainingRow(spec);
      report.put("parameters", spec.numParameters()).put("gflopPerEpoch", flopsPerRow * rows / 1e9);

      if (warmupEpochs > 0) {
        long warmStart = System.nanoTime();
        var s = config.training();
        var warmup = new io.sparkbackprop.config.TrainingSettings(warmupEpochs, s.batchSize(), s.seed(),
            s.partitions(), s.aggregationDepth(), s.clipNorm()).withPrecision(s.precision())
            .withExchange(s.exchange());
        new Trainer(net, config.optimizer(), config.schedule(), warmup).fit(sc, td.train(), td.validation(),
            config.init().initialize(net.layout(), s.seed()), e -> { });
        report.put("warmupSeconds", (System.nanoTime() - warmStart) / 1e9);
      }
      timeToAccuracy(sc, td, config, net, report);
      report.put("peakHeapBytesTraining", PeakMemory.peakBytes());
      report.put("retainedHeapBytes", PeakMemory.retainedBytes());

      if (overheadEpochs > 0) {
        sparkVersusSingleProcess(sc, td, config, net, flopsPerRow, report);
      }
      td.train().unpersist();
      td.validation().unpersist();
      if (mlpcIters.length > 0 && mlpcIters[0] > 0) {
        mlpc(spark, dataDir, d, report);
      }
      report.append(common.results);
      return 0;
    } finally {
      common.close(spark);
    }
  }

  private Path writeConfig(Path dataDir) throws java.io.IOException {
    StringBuilder layers = new StringBuilder();
    for (int h : hidden) {
      layers.append("{units = ").append(h).append(", activation = relu}, ");
    }
    layers.append("{units = ").append(FashionMnist.CLASSES).append(", activation = softmax}");
    String conf = String.join("\n",
        "# Written by the benchmark; the command line's --set overrides apply on top.",
        "data.train.path = \"" + dataDir.toAbsolutePath().resolve("train.parquet") + "\"",
        "data.validation.path = \"" + dataDir.toAbsolutePath().resolve("test.parquet") + "\"",
        "data.features = features",
        "data.label = label",
        "model.layers = [" + layers + "]",
        "model.init = he",
        "loss.type = crossEntropy",
        "optimizer { type = adam, learningRate = 0.001 }",
        "training { epochs = " + epochs + ", batchSize = 1024, seed = 1 }",
        "output.model = \"target/bench-model\"",
        "");
    Path file = Files.createTempFile("bench-fashion", ".conf");
    Files.writeString(file, conf);
    file.toFile().deleteOnExit();
    return file;
  }

  private void timeToAccuracy(JavaSparkContext sc, TrainingData td, TrainConfig config,
      FeedForward net, Report report) {
    List<Double> times = new ArrayList<>();
    List<Double> bests = new ArrayList<>();
    for (int run = 0; run < repeat; run++) {
      List<EpochStats> history = new ArrayList<>();
      double[] init = config.init().initialize(net.layout(), config.training().seed());
      new Trainer(net, config.optimizer(), config.schedule(), config.training())
          .fit(sc, td.train(), td.validation(), init, history::add);
      double reached = Double.NaN;
      double best = 0;
      List<Map<String, Object>> epochs = new ArrayList<>();
      for (EpochStats s : history) {
        double acc = s.validation().accuracy();
        best = Math.max(best, acc);
        if (Double.isNaN(reached) && acc >= target) {
          reached = s.elapsedSeconds();
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("epoch", s.epoch());
        e.put("elapsedSeconds", s.elapsedSeconds());
        e.put("trainLoss", s.trainLoss());
        e.put("testAccuracy", acc);
        epochs.add(e);
      }
      report.put("run" + run + "Epochs", epochs);
      times.add(reached);
      bests.add(best);
    }
    report.put("target", target);
    report.put("secondsToTarget", times);
    report.put("bestTestAccuracy", bests);
  }

  private void sparkVersusSingleProcess(JavaSparkContext sc, TrainingData td, TrainConfig config,
      FeedForward net, double flopsPerRow, Report report) {
    var s = config.training();
    var settings = new io.sparkbackprop.config.TrainingSettings(overheadEpochs, overheadBatch,
        s.seed(), s.partitions(), s.aggregationDepth(), s.clipNorm()).withPrecision(s.precision());
    double[] init = config.init().initialize(net.layout(), s.seed());
    List<DataBlock> blocks = td.train().blocks().collect();
    SingleProcessTrainer local = new SingleProcessTrainer(net, config.optimizer(), config.schedule(),
        settings);
    if (warmupEpochs > 0) {   // one untimed epoch of each path first, so none is timed while JIT-compiling
      new SingleProcessTrainer(net, config.optimizer(), config.schedule(), settings.withEpochs(1))
          .fit(blocks, init, e -> { });
    }
    List<EpochStats> localHistory = new ArrayList<>();
    local.fit(blocks, init, localHistory::add);
    double[] localEpochs = epochSeconds(localHistory);
    double localMedian = median(localEpochs);
    double rows = td.train().totalRows();
    report.put("overheadBatchSize", overheadBatch);
    report.put("singleProcessSecondsPerEpoch", localEpochs);
    report.put("singleProcessGflops", flopsPerRow * rows / localMedian / 1e9);
    for (String name : overheadExchanges) {
      GradientExchange exchange = GradientExchange.fromConfigName(name);
      if (warmupEpochs > 0) {
        new Trainer(net, config.optimizer(), config.schedule(), settings.withEpochs(1).withExchange(exchange))
            .fit(sc, td.train(), null, init, e -> { });
      }
      List<EpochStats> history = new ArrayList<>();
      new Trainer(net, config.optimizer(), config.schedule(), settings.withExchange(exchange))
          .fit(sc, td.train(), null, init, history::add);
      double[] sparkEpochs = epochSeconds(history);
      double sparkMedian = median(sparkEpochs);
      // Keys without a suffix are the configured exchange's, as before the exchange existed.
      String suffix = exchange == s.exchange() ? "" : "_" + exchange.configName();
      report.put("sparkSecondsPerEpoch" + suffix, sparkEpochs);
      report.put("sparkOverSingleProcess" + suffix, sparkMedian / localMedian);
      report.put("sparkRowsPerSecond" + suffix, rows / sparkMedian);
      report.put("sparkGflops" + suffix, flopsPerRow * rows / sparkMedian / 1e9);
    }
  }

  private static double[] epochSeconds(List<EpochStats> history) {
    double[] out = new double[history.size()];
    double prev = 0;
    for (int i = 0; i < out.length; i++) {
      out[i] = history.get(i).elapsedSeconds() - prev;
      prev = history.get(i).elapsedSeconds();
    }
    return out;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private void mlpc(SparkSession spark, Path dataDir, int d, Report report) {
    Dataset<Row> train = spark.read().parquet(dataDir.resolve("train.parquet").toString())
        .repartition(common.partitions).persist(StorageLevel.MEMORY_ONLY());
    Dataset<Row> test = spark.read().parquet(dataDir.resolve("test.parquet").toString())
        .persist(StorageLevel.MEMORY_ONLY());
    train.count();
    test.count();
    int[] layers = new int[hidden.length + 2];
    layers[0] = d;
    System.arraycopy(hidden, 0, layers, 1, hidden.length);
    layers[layers.length - 1] = FashionMnist.CLASSES;
    if (warmupEpochs > 0) {
      MlpcRun.fit(train, test, layers, 2, 1);   // untimed: JIT-compiles MLPC's code paths as ours were
    }
    List<Map<String, Object>> fits = new ArrayList<>();
    for (int maxIter : mlpcIters) {
      PeakMemory.reset();
      MlpcRun.Result r = MlpcRun.fit(train, test, layers, maxIter, 1);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("maxIter", r.maxIter());
      m.put("iterations", r.iterations());
      m.put("seconds", r.seconds());
      m.put("secondsPerIteration", r.seconds() / Math.max(1, r.iterations()));
      m.put("testAccuracy", r.testAccuracy());
      m.put("peakHeapBytes", PeakMemory.peakBytes());
      fits.add(m);
      report.put("mlpcFit", m);
    }
    report.put("mlpc", fits);
    train.unpersist();
    test.unpersist();
  }

  private static String precision(TrainConfig config) {
    return config.training().precision().configName();
  }

  static long cachedBytes(JavaSparkContext sc, int rddId) {
    for (RDDInfo info : sc.sc().getRDDStorageInfo()) {
      if (info.id() == rddId) {
        return info.memSize() + info.diskSize();
      }
    }
    return -1;
  }
}
