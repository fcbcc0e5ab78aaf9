package io.sparkbackprop;

import io.sparkbackprop.train.SparkSessions;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * One local[2] SparkSession shared by all tests of the run (starting Spark costs seconds). It is
 * strict on purpose: Kryo with {@code registrationRequired}, so a missing registration fails here
 * rather than on a user's cluster.
 */
public final class SparkTestSession {
  private static SparkSession session;

  private SparkTestSession() {
  }

  public static synchronized SparkSession get() {
    if (session == null || session.sparkContext().isStopped()) {
      session = SparkSession.builder()
          .config(SparkSessions.baseConf())
          .master("local[2]")
          .appName("spark-backprop-tests")
          .config("spark.kryo.registrationRequired", "true")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }

  /** Stops the shared session, for a test that needs a session of its own; {@link #get} starts a new one. */
  public static synchronized void stop() {
    if (session != null) {
      session.stop();
      session = null;
    }
  }

  public static JavaSparkContext context() {
    return JavaSparkContext.fromSparkContext(get().sparkContext());
  }
}
