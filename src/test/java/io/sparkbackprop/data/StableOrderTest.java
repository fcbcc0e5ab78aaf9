package io.sparkbackprop.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.sparkbackprop.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Rows that reach a partition in another order (as a shuffle's reducer may receive them after a
 * lost executor) still give the same partition once put in stable order.
 */
class StableOrderTest {
  private static final StructType SCHEMA = new StructType()
      .add("features", SQLDataTypes.VectorType())
      .add("weird `name`", DataTypes.DoubleType)
      .add("label", DataTypes.DoubleType);

  /** Rows a, b, c: built in the tasks (the strict test session's Kryo has no Row registered). */
  private static Row row(int i) {
    double a = new double[] {1, -1, 3}[i];
    double b = new double[] {2, 0.5, 3}[i];
    return RowFactory.create(Vectors.sparse(3, new int[] {0, 2}, new double[] {a, b}), a - b, (double) i);
  }

  /** The rows {@code order} names in two partitions of two rows each, as text. */
  private static List<String> partitions(List<Integer> order, boolean stable) {
    Dataset<Row> df = SparkTestSession.get().createDataFrame(
        SparkTestSession.context().parallelize(order, 2).map(StableOrderTest::row), SCHEMA);
    Dataset<Row> ordered = stable ? TrainingData.inStableOrder(df) : df;
    return ordered.javaRDD().mapPartitions(rows -> {
      List<String> text = new ArrayList<>();
      rows.forEachRemaining(r -> text.add(r.toString()));
      return List.of(String.join(" ", text)).iterator();
    }).collect();
  }

  @Test
  void theSameRowsInAnotherOrderGiveTheSamePartitions() {
    List<String> unsorted = partitions(List.of(0, 1, 2, 2), false);
    assertNotEquals(unsorted, partitions(List.of(1, 0, 2, 2), false));

    List<String> stable = partitions(List.of(0, 1, 2, 2), true);
    assertEquals(stable, partitions(List.of(1, 0, 2, 2), true));
    assertEquals(unsorted.get(1), stable.get(1), "the same rows as before, two equal ones");
  }
}
