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
  @Override
  public void registerClasses(Kryo kryo) {
    kryo.register(double[].class);
    kryo.register(float[].class);
    kryo.register(int[].class);
    kryo.register(long[].class);
    kryo.register(GradientSum.class);
    kryo.register(EvaluationSum.class);
    kryo.register(DataBlock.class);
  }
}
