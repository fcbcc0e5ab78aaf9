package io.sparkbackprop.train;

import com.esotericsoftware.kryo.Kryo;
import io.sparkbackprop.data.DataBlock;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Registers every class of ours that Spark may serialise with Kryo (task results, tree-aggregation
 * shuffles, broadcasts, serialised caches), so training works with
 * {@code spark.kryo.registrationRequired=true} and Kryo writes class ids, not names.
 */
public final class KryoRegistration implements KryoRegistrator {
  /**
   * Spark's own classes that reading a data source and caching blocks serialise with Kryo but
   * that Spark does not register itself (found by running the jobs with registrationRequired).
   */
  private static final String[] SPARK_CLASSES = {
      "org.apache.spark.sql.types.NullType$",
      "[Lorg.apache.spark.sql.types.DataType;",
  };

  @Override
  public void registerClasses(Kryo kryo) {
    for (String name : SPARK_CLASSES) {
      try {
        kryo.register(Class.forName(name, false, Thread.currentThread().getContextClassLoader()));
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("Spark class " + name + " not found: is this Spark 4.2?", e);
      }
    }
    kryo.register(double[].class);
    kryo.register(float[].class);
    kryo.register(int[].class);
    kryo.register(long[].class);
    kryo.register(GradientSum.class);
    kryo.register(EvaluationSum.class);
    kryo.register(DataBlock.class);
  }
}
