package io.sparkbackprop.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.sparkbackprop.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Rows that reach a partition in another order (as a shuffle's reducer may receive them after a
 * lost executor) still give the same partition once put in input order; and the input row a bad
 * row is reported at survives repartitioning.
 */
class StableOrderTest {
  private static final StructType SCHEMA = new StructType()
      .add("x", DataTypes.DoubleType).add("label", DataTypes.DoubleType)
      .add(BlockBuilder.INPUT_ROW, DataTypes.LongType);

  /** Input row i (built in the tasks: the strict test session's Kryo has no Row registered). */
  private static Row row(int i) {
    return RowFactory.create(10.0 * i, (double) (i % 2), (long) i);
  }

  /** The rows {@code order} names in two partitions, as text. */
  private static List<String> partitions(List<Integer> order, boolean sorted) {
    Dataset<Row> df = SparkTestSession.get().createDataFrame(
        SparkTestSession.context().parallelize(order, 2).map(StableOrderTest::row), SCHEMA);
    Dataset<Row> ordered = sorted ? TrainingData.inInputOrder(df) : df;
    return ordered.javaRDD().mapPartitions(rows -> {
      List<String> text = new ArrayList<>();
      rows.forEachRemaining(r -> text.add(r.toString()));
      return List.of(String.join(" ", text)).iterator();
    }).collect();
  }

  @Test
  void theSameRowsInAnotherOrderGiveTheSamePartitions() {
    List<String> arrived = partitions(List.of(0, 1, 2, 3), false);
    assertNotEquals(arrived, partitions(List.of(1, 0, 2, 3), false));

    List<String> sorted = partitions(List.of(0, 1, 2, 3), true);
    assertEquals(sorted, partitions(List.of(1, 0, 2, 3), true));
    assertEquals(arrived, sorted, "already in input order: unchanged");
  }

  @Test
  void aBadRowIsNamedByItsPlaceInTheInputAfterARepartition() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      rows.add(RowFactory.create((double) i, i == 13 ? 5.0 : 0.0));
    }
    StructType schema = new StructType().add("x", DataTypes.DoubleType).add("label", DataTypes.DoubleType);
    Dataset<Row> input = SparkTestSession.get().createDataFrame(rows, schema).coalesce(1);
    FeatureSchema fs = FeatureSchema.resolve(input, io.sparkbackprop.config.FeatureColumns.ofColumns(List.of("x")),
        "label", "test");
    Dataset<Row> shuffled = TrainingData.inInputOrder(TrainingData.withInputRow(fs.select(input)).repartition(3));
    BlockedDataset blocks = TrainingData.pack(shuffled, fs, LabelKind.classes(2), "test");
    try {
      assertEquals("column 'label' is out of range, expected a class index 0..1 in 1 row"
          + " (row 13 of input partition 0: 5.0)", blocks.invalidRows().describe());
      assertEquals(19, blocks.totalRows());
    } finally {
      blocks.unpersist();
    }
  }
}
