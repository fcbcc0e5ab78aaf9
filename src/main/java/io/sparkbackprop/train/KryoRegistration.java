package io.sparkbackprop.train;

import com.esotericsoftware.kryo.Kryo;
import io.sparkbackprop.data.DataBlock;
import io.sparkbackprop.data.InvalidRowReport;
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
      // Column types a schema may carry back in a task result (e.g. a csv column inferred as boolean).
      "org.apache.spark.sql.types.BooleanType$",
      "org.apache.spark.sql.types.DateType$",
      "org.apache.spark.sql.types.TimestampType$",
      "[Lorg.apache.spark.sql.types.DataType;",
      // Writing scored output: the write tasks' results carry the schema, with vectors and arrays.
      "org.apache.spark.ml.linalg.VectorUDT",
      "org.apache.spark.sql.types.ArrayType",
      // ... and the ML attributes VectorAssembler and StringIndexer put in column metadata.
      "[Lorg.apache.spark.sql.types.Metadata;",
      // Evaluating: the aggregation buffers of Spark's binary and regression metrics.
      "org.apache.spark.mllib.evaluation.binary.BinaryLabelCounter",
      "[Lorg.apache.spark.mllib.evaluation.binary.BinaryLabelCounter;",
      "org.apache.spark.ml.stat.SummarizerBuffer",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeL1$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeM2$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeM2n$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeMax$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeMean$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeMin$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeNNZ$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeWeightSum$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$Count$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$Max$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$Mean$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$Min$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$NormL1$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$NormL2$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$NumNonZeros$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$Std$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$Sum$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$Variance$",
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
    kryo.register(InvalidRowReport.class);
    kryo.register(String[].class);
    kryo.register(String[][].class);
  }
}
