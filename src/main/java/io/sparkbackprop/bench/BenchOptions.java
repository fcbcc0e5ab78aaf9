package io.sparkbackprop.bench;

import io.sparkbackprop.nn.FeedForward;
import io.sparkbackprop.train.SparkSessions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Options every benchmark takes: where Spark runs and where the figures go. */
final class BenchOptions {
  @Option(names = "--master", description = "Spark master (default ${DEFAULT-VALUE})")
  String master = "local[2]";

  @Option(names = "--partitions", description = "partitions to train on (default ${DEFAULT-VALUE})")
  int partitions = 2;

  @Option(names = "--results", description = "append the figures as one JSON line to this file")
  Path results;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "extra Spark setting (repeatable)")
  Map<String, String> sparkConf = new LinkedHashMap<>();

  private boolean ownSession;

  /** Gets or creates the session; one that existed before (a test's) is left running by {@link #close}. */
  SparkSession session(String appName) {
    ownSession = SparkSession.getDefaultSession().isEmpty();
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.ui.enabled", "false");
    conf.put("spark.sql.shuffle.partitions", String.valueOf(Math.max(1, partitions)));
    conf.putAll(sparkConf);
    SparkSession spark = SparkSessions.create(appName, master, conf);
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  void close(SparkSession spark) {
    if (ownSession) {
      spark.stop();
    }
  }

  void describe(Report report, SparkSession spark) {
    report.put("master", spark.sparkContext().master())
        .put("partitions", partitions)
        .put("blas", FeedForward.blasImplementation())
        .put("OPENBLAS_NUM_THREADS", String.valueOf(System.getenv("OPENBLAS_NUM_THREADS")))
        .put("maxHeapBytes", Runtime.getRuntime().maxMemory())
        .put("sparkConf", sparkConf);
  }
}
