package io.sparkbackprop.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.data.DataException;
import io.sparkbackprop.model.Preprocessing;
import io.sparkbackprop.model.SavedModel;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.FeedForward;
import io.sparkbackprop.nn.LayerSpec;
import io.sparkbackprop.nn.LossType;
import io.sparkbackprop.nn.NetworkSpec;
import io.sparkbackprop.nn.Reduction;
import io.sparkbackprop.nn.Workspace;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

class ModelScorerTest {
  /**
   * Scoring and the reference compute the same sums, but BLAS may block them differently for
   * different batch sizes, so the last bits can differ.
   */
  private static final double SAME_ARITHMETIC = 1e-12;
  /** A probability change no rounding explains: the inputs really differed. */
  private static final double CLEARLY_DIFFERENT = 1e-3;

  private static List<Row> byId(Dataset<Row> scored) {
    return scored.orderBy("id").collectAsList();
  }

  private static double[] vector(Row row, String column) {
    return ((Vector) row.getAs(column)).toArray();
  }

  @Test
  void predictionsAgreeWithFeedForwardComputedDirectlyAcrossSeveralBatches() {
    SavedModel model = ScoringModels.softmax3(11);
    int n = 2 * PartitionScorer.BATCH_ROWS + 300;   // two partitions of more than one batch each
    List<Row> rows = byId(ModelScorer.of(model).transform(ScoringModels.numeric(n, 5, "a", "b", "c")));
    assertEquals(n, rows.size());

    double[] x = new double[3 * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 3; j++) {
        x[3 * i + j] = rows.get(i).getDouble(j + 1);
      }
    }
    FeedForward net = new FeedForward(model.network(), LossType.CROSS_ENTROPY, Reduction.MEAN);
    double[] expected = net.predict(model.parameters(), x, n, new Workspace(model.network(), 64));
    int changes = 0;
    for (int i = 0; i < n; i++) {
      double[] p = vector(rows.get(i), "probability");
      assertArrayEquals(Arrays.copyOfRange(expected, 3 * i, 3 * i + 3), p, SAME_ARITHMETIC, "row " + i);
      int argmax = p[0] >= p[1] && p[0] >= p[2] ? 0 : p[1] >= p[2] ? 1 : 2;
      assertEquals(argmax, rows.get(i).getDouble(rows.get(i).fieldIndex("prediction")), "row " + i);
      // rawPrediction holds the logits: their softmax is the probability.
      double[] z = vector(rows.get(i), "rawPrediction");
      double sum = Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]);
      assertEquals(p[1], Math.exp(z[1]) / sum, SAME_ARITHMETIC, "row " + i);
      changes += i > 0 && argmax != rows.get(i - 1).getDouble(rows.get(i - 1).fieldIndex("prediction")) ? 1 : 0;
    }
    assertTrue(changes > n / 10, "the data should exercise more than one class, changes: " + changes);
  }

  @Test
  void columnsInAnotherOrderGiveTheSamePredictions() {
    SavedModel model = ScoringModels.softmax3(3);
    Dataset<Row> data = ScoringModels.numeric(50, 9, "a", "b", "c");
    Dataset<Row> shuffled = data.select("c", "id", "a", "b").withColumn("extra", functions.lit("x"));
    List<Row> expected = byId(ModelScorer.of(model).transform(data));
    List<Row> actual = byId(ModelScorer.of(model).transform(shuffled));
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(vector(expected.get(i), "probability"), vector(actual.get(i), "probability"), "row " + i);
    }
    assertEquals(List.of("c", "id", "a", "b", "extra", "rawPrediction", "probability", "prediction"),
        List.of(ModelScorer.of(model).transform(shuffled).columns()));
  }

  @Test
  void probabilitiesSumToOneForEveryKindOfClassifier() {
    // mse on one-hot targets with sigmoid outputs: scores, normalised into probabilities.
    SavedModel softmax = ScoringModels.softmax3(4);
    SavedModel sigmoidScores = SavedModel.builder(new NetworkSpec(3, List.of(LayerSpec.dense(5, Activation.TANH),
            LayerSpec.dense(3, Activation.SIGMOID))), softmax.parameters())
        .loss(LossType.MSE, Reduction.MEAN).features(softmax.features()).build();
    SavedModel binary = ScoringModels.sigmoidOfX();
    for (SavedModel m : List.of(softmax, sigmoidScores)) {
      for (Row r : ModelScorer.of(m).transform(ScoringModels.numeric(40, 2, "a", "b", "c")).collectAsList()) {
        double[] p = vector(r, "probability");
        assertEquals(3, p.length);
        assertEquals(1.0, p[0] + p[1] + p[2], SAME_ARITHMETIC, m.toString());
      }
    }
    for (Row r : ModelScorer.of(binary).transform(ScoringModels.numeric(40, 2, "x")).collectAsList()) {
      double[] p = vector(r, "probability");
      double expected = Activation.sigmoid(r.getDouble(1));
      assertArrayEquals(new double[] {1 - expected, expected}, p, SAME_ARITHMETIC);
      assertArrayEquals(new double[] {-r.getDouble(1), r.getDouble(1)}, vector(r, "rawPrediction"), 0.0);
      assertEquals(expected >= 0.5 ? 1.0 : 0.0, r.getDouble(r.fieldIndex("prediction")));
    }
  }

  @Test
  void preprocessingIsAppliedBeforeTheNetworkAndAConstantFeatureIsOnlyCentred() {
    SavedModel plain = ScoringModels.softmax3(8);
    double[] means = {1.5, -2, 0.25};
    double[] stds = {0.5, 3, 0};
    SavedModel standardising = plain.toBuilder().preprocessing(new Preprocessing(means, stds)).build();
    Dataset<Row> raw = ScoringModels.numeric(60, 4, "a", "b", "c");
    Dataset<Row> standardised = raw.select(functions.col("id"),
        functions.col("a").minus(means[0]).divide(stds[0]).as("a"),
        functions.col("b").minus(means[1]).divide(stds[1]).as("b"),
        functions.col("c").minus(means[2]).as("c"));
    List<Row> expected = byId(ModelScorer.of(plain).transform(standardised));
    List<Row> actual = byId(ModelScorer.of(standardising).transform(raw));
    List<Row> unscaled = byId(ModelScorer.of(plain).transform(raw));
    boolean differs = false;
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(vector(expected.get(i), "probability"), vector(actual.get(i), "probability"), SAME_ARITHMETIC);
      differs |= Math.abs(vector(expected.get(i), "probability")[0] - vector(unscaled.get(i), "probability")[0])
          > CLEARLY_DIFFERENT;
    }
    assertTrue(differs, "the preprocessing must change the outputs, or this test proves nothing");
  }

  @Test
  void labelNamesGiveAPredictedLabelColumn() {
    SavedModel model = ScoringModels.softmax3(6).toBuilder().labels(List.of("setosa", "versicolor", "virginica"))
        .build();
    for (Row r : ModelScorer.of(model).transform(ScoringModels.numeric(30, 1, "a", "b", "c")).collectAsList()) {
      int predicted = (int) r.getDouble(r.fieldIndex("prediction"));
      assertEquals(model.labels().get(predicted), r.getString(r.fieldIndex("predictedLabel")));
    }
    Dataset<Row> withoutNames = ModelScorer.of(ScoringModels.softmax3(6))
        .transform(ScoringModels.numeric(3, 1, "a", "b", "c"));
    assertFalse(List.of(withoutNames.columns()).contains("predictedLabel"));
  }

  @Test
  void aRegressionModelAddsOnlyThePrediction() {
    Dataset<Row> scored = ModelScorer.of(ScoringModels.twoXPlusOne()).transform(ScoringModels.numeric(5, 3, "x"));
    assertEquals(List.of("id", "x", "prediction"), List.of(scored.columns()));
    for (Row r : scored.collectAsList()) {
      assertEquals(2 * r.getDouble(1) + 1, r.getDouble(2), SAME_ARITHMETIC);
    }
  }

  @Test
  void badInputIsRefusedNamingTheColumnAndRow() {
    ModelScorer scorer = ModelScorer.of(ScoringModels.softmax3(1)).describedAs("--input t.csv");
    Dataset<Row> data = ScoringModels.numeric(5, 1, "a", "b", "c");
    DataException missing = assertThrows(DataException.class, () -> scorer.transform(data.drop("b")));
    assertEquals("--input t.csv: no column 'b'; columns are [id, a, c]", missing.getMessage());

    DataException text = assertThrows(DataException.class,
        () -> scorer.transform(data.withColumn("c", functions.lit("high"))));
    assertEquals("--input t.csv: column 'c' must be numeric, is string", text.getMessage());

    Dataset<Row> withNull = data.withColumn("a", functions.when(functions.col("id").equalTo(3), null)
        .otherwise(functions.col("a"))).coalesce(1);
    Exception e = assertThrows(Exception.class, () -> scorer.transform(withNull).collectAsList());
    assertEquals("--input t.csv: column 'a' in row 3 of partition 0 is null", dataCause(e).getMessage());

    DataException clash = assertThrows(DataException.class,
        () -> scorer.transform(data.withColumn("prediction", functions.lit(1))));
    assertTrue(clash.getMessage().startsWith("--input t.csv: already has a column 'prediction'"), clash.getMessage());
  }

  @Test
  void aModelWithoutFeaturesReadsAVectorColumnNamedFeatures() {
    SavedModel named = ScoringModels.softmax3(2);
    SavedModel minimal = named.toBuilder().features(null).task(null).loss(null, null).build();
    Dataset<Row> data = ScoringModels.numeric(20, 7, "a", "b", "c");
    Dataset<Row> vectors = new VectorAssembler()
        .setInputCols(new String[] {"a", "b", "c"}).setOutputCol("features").transform(data);
    List<Row> expected = byId(ModelScorer.of(named).transform(data));
    List<Row> actual = byId(ModelScorer.of(minimal).transform(vectors.select("id", "features")));
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(vector(expected.get(i), "probability"), vector(actual.get(i), "probability"), SAME_ARITHMETIC);
    }
    DataException wrongSize = assertThrows(DataException.class, () -> ModelScorer.of(minimal).transform(
        new VectorAssembler().setInputCols(new String[] {"a", "b"})
            .setOutputCol("features").transform(data)));
    assertEquals("input: column 'features' holds vectors of 2 features, the model takes 3", wrongSize.getMessage());
  }

  static Throwable dataCause(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof DataException) {
        return c;
      }
    }
    throw new AssertionError("no DataException in the cause chain of " + e, e);
  }
}
