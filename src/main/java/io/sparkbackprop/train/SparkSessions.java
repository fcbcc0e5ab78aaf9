package io.sparkbackprop.train;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Builds the SparkSession of a job with the settings training needs. */
public final class SparkSessions {
  private SparkSessions() {
  }

  /**
   * The Spark settings spark-backprop relies on; a user's {@code spark.conf} entries are applied
   * after these and win.
   */
  public static SparkConf baseConf() {
    return new SparkConf()
        .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .set("spark.kryo.registrator", KryoRegistration.class.getName())
        // Tasks run side by side; a multi-threaded BLAS in each would oversubscribe the cores.
        .set("spark.executorEnv.OPENBLAS_NUM_THREADS", "1")
        // Every step broadcasts the weights and sends back a gradient: parameter-sized primitive
        // arrays. Measured in docs/benchmarks.md ("levers"), at 235k parameters in local[2]:
        // Kryo's unsafe mode copies primitive arrays in bulk instead of element by element;
        // compressing random-looking floats costs time and saves no bytes; and results above the
        // 1 MiB default (a float64 gradient of 131k+ parameters) would take a second trip
        // through the block manager. Spark caps the last at spark.rpc.message.maxSize.
        .set("spark.kryo.unsafe", "true")
        .set("spark.broadcast.compress", "false")
        .set("spark.task.maxDirectResultSize", "64m");
  }

  /**
   * Gets or creates the session. {@code master} is used only when nothing (spark-submit) has set
   * one already.
   */
  public static SparkSession create(String appName, String master, Map<String, String> conf) {
    SparkConf sparkConf = baseConf().setAppName(appName);
    if (!sparkConf.contains("spark.master") && master != null) {
      sparkConf.setMaster(master);
    }
    for (Map.Entry<String, String> e : conf.entrySet()) {
      sparkConf.set(e.getKey(), e.getValue());
    }
    SparkSession session = SparkSession.builder().config(sparkConf).getOrCreate();
    BlasCheck.logOnce(session.sparkContext().master());
    return session;
  }
}
