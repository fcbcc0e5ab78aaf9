package io.sparkbackprop.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkbackprop.data.DataException;
import io.sparkbackprop.model.SavedModel;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/**
 * Evaluation over several partitions, so Spark's metrics merge partial results that crossed the
 * (strict, Kryo) serializer, checked against sums computed directly on the collected rows.
 */
class EvaluationTest {
  /** Sums of a few hundred terms of order 10 in a different order. */
  private static final double SUMMATION_ORDER = 1e-9;

  @Test
  void regressionMetricsOverSeveralPartitionsEqualDirectSums() {
    SavedModel model = ScoringModels.twoXPlusOne();
    Dataset<Row> data = ScoringModels.numeric(600, 13, "x", "noise")
        .withColumn("y", functions.expr("2 * x + 1 + noise * (x + 3)")).repartition(4);
    Map<String, Object> m = Evaluation.evaluate(ModelScorer.of(model), data, "y");

    List<Row> rows = data.collectAsList();
    double se = 0;
    double ae = 0;
    double sumY = 0;
    for (Row r : rows) {
      double e = 2 * r.getDouble(1) + 1 - r.getDouble(3);
      se += e * e;
      ae += Math.abs(e);
      sumY += r.getDouble(3);
    }
    double meanY = sumY / rows.size();
    double ss = 0;
    for (Row r : rows) {
      ss += (r.getDouble(3) - meanY) * (r.getDouble(3) - meanY);
    }
    assertEquals(600L, m.get("rows"));
    assertEquals(se / rows.size(), (double) m.get("mse"), SUMMATION_ORDER);
    assertEquals(ae / rows.size(), (double) m.get("mae"), SUMMATION_ORDER);
    assertEquals(1 - se / ss, (double) m.get("r2"), SUMMATION_ORDER);
  }

  @Test
  void classificationOverSeveralPartitionsCountsEveryRowOnce() {
    SavedModel model = ScoringModels.softmax3(17);
    Dataset<Row> data = ScoringModels.numeric(900, 3, "a", "b", "c")
        .withColumn("y", functions.expr("cast(id % 3 as int)")).repartition(4);
    Map<String, Object> m = Evaluation.evaluate(ModelScorer.of(model), data, "y");
    List<Row> scored = ModelScorer.of(model).transform(data).collectAsList();
    long correct = scored.stream().filter(r -> r.getDouble(r.fieldIndex("prediction")) == r.getInt(4)).count();
    assertEquals(900L, m.get("rows"));
    assertEquals((double) correct / 900, (double) m.get("accuracy"), SUMMATION_ORDER);
    @SuppressWarnings("unchecked")
    List<List<Long>> confusion = (List<List<Long>>) m.get("confusionMatrix");
    assertEquals(300L, confusion.get(1).stream().mapToLong(Long::longValue).sum(), "row sums are class supports");
  }

  @Test
  void anEmptyInputIsRefusedRatherThanGivingNaNFigures() {
    Dataset<Row> empty = ScoringModels.numeric(0, 1, "x").withColumn("y", functions.col("x"));
    DataException regression = assertThrows(DataException.class,
        () -> Evaluation.evaluate(ModelScorer.of(ScoringModels.twoXPlusOne()), empty, "y"));
    assertEquals("input: has no rows to evaluate", regression.getMessage());
    DataException binary = assertThrows(DataException.class,
        () -> Evaluation.evaluate(ModelScorer.of(ScoringModels.sigmoidOfX()), empty, "y"));
    assertEquals("input: has no rows to evaluate", binary.getMessage());
  }
}
