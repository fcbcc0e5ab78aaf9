package io.sparkbackprop.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkbackprop.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The block-wise fit agrees with Spark's own Summarizer (sample std), whatever the partitioning. */
class StandardizationTest {
  @Test
  void fitOnBlocksMatchesSparksSummarizer() {
    Random random = new Random(3);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      // Large offsets and a constant column: the cases a naive sum-of-squares gets wrong.
      rows.add(RowFactory.create(1e6 + random.nextGaussian(), 5.0, random.nextDouble() * 100, (double) (i % 3)));
    }
    StructType schema = new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType)
        .add("c", DataTypes.DoubleType).add("y", DataTypes.DoubleType);
    Dataset<Row> df = SparkTestSession.get().createDataFrame(rows, schema).repartition(7);
    FeatureSchema fs = FeatureSchema.resolve(df, io.sparkbackprop.config.FeatureColumns.ofColumns(List.of("a", "b", "c")),
        "y", "test");
    BlockedDataset blocks = TrainingData.pack(fs.select(df), fs, LabelKind.classes(3), "test");
    try {
      Standardization fitted = Standardization.fit(blocks.blocks(), 3);
      Row expected = new org.apache.spark.ml.feature.VectorAssembler().setInputCols(new String[] {"a", "b", "c"})
          .setOutputCol("v").transform(df).select(Summarizer.metrics("mean", "std").summary(
              org.apache.spark.sql.functions.col("v")).as("s")).select("s.mean", "s.std").first();
      double[] mean = ((Vector) expected.get(0)).toArray();
      double[] std = ((Vector) expected.get(1)).toArray();
      for (int j = 0; j < 3; j++) {
        assertEquals(mean[j], fitted.means()[j], 1e-9 * Math.max(1, Math.abs(mean[j])), "mean " + j);
        assertEquals(std[j], fitted.stds()[j], 1e-9 * Math.max(1, std[j]), "std " + j);
      }
      assertEquals(0.0, fitted.stds()[1], "a constant feature has std 0 (only centred)");
    } finally {
      blocks.unpersist();
    }
  }
}
