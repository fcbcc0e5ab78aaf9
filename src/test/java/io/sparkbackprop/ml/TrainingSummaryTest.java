package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.train.EpochStats;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fitted models' training summary, and the regressor end to end. */
class TrainingSummaryTest {
  /** history.jsonl writes the losses as Java doubles: they read back exactly. */
  private static final double EXACT = 0.0;
  /** One row through BLAS versus a batch of rows: the products may be blocked differently. */
  private static final double ROW_VERSUS_BATCH = 1e-9;

  @TempDir
  Path dir;

  @Test
  void classifierSummaryHasTheLossPerEpochAndValidationMetrics() throws Exception {
    NeuralNetClassificationModel m = new NeuralNetClassifier().setHiddenLayers("8:tanh").setLearningRate(0.05)
        .setEpochs(8).setValidationFraction(0.2).setSeed(4).fit(MlTestData.irisAssembled());
    TrainingSummary s = m.summary();
    assertEquals(8, s.totalEpochs());
    double[] loss = s.trainLossHistory();
    assertEquals(8, loss.length);
    assertTrue(loss[7] < loss[0], "the loss falls: " + Arrays.toString(loss));
    assertEquals(8, s.validationLossHistory().length);
    for (double a : s.validationAccuracyHistory()) {
      assertTrue(a >= 0 && a <= 1, "accuracy " + a);
    }
    assertEquals(150, s.trainMetrics().rows() + s.validationMetrics().rows(), "the split covers every row");
    assertTrue(s.validationMetrics().rows() > 0);
    assertNull(s.stopReason());

    String path = dir.resolve("model").toString();
    m.write().save(path);
    NeuralNetClassificationModel loaded = NeuralNetClassificationModel.load(path);
    assertTrue(loaded.hasSummary());
    TrainingSummary l = loaded.summary();
    assertArrayEquals(loss, l.trainLossHistory(), EXACT);
    assertArrayEquals(s.validationLossHistory(), l.validationLossHistory(), EXACT);
    assertArrayEquals(s.validationAccuracyHistory(), l.validationAccuracyHistory(), EXACT);
    assertEquals(s.trainMetrics().loss(), l.trainMetrics().loss(), EXACT);
    assertEquals(s.validationMetrics().accuracy(), l.validationMetrics().accuracy(), EXACT);
    assertEquals(m.uid(), loaded.uid());
  }

  @Test
  void earlyStoppingEndsTheRunAndSaysWhy() {
    NeuralNetClassificationModel m = new NeuralNetClassifier().setHiddenLayers("16:relu").setLearningRate(0.05)
        .setEpochs(300).setBatchSize(16).setValidationFraction(0.3).setEarlyStoppingMetric("validationLoss")
        .setEarlyStoppingPatience(2).fit(MlTestData.irisAssembled());
    TrainingSummary s = m.summary();
    assertTrue(s.totalEpochs() < 300, "stopped after " + s.totalEpochs());
    assertNotNull(s.stopReason());
    EpochStats last = s.history().get(s.totalEpochs() - 1);
    assertEquals(s.totalEpochs(), last.epoch());
  }

  @Test
  void regressorFitsSavesLoadsAndScoresOneRowAsTransform() throws Exception {
    String[] features = {"age", "sex", "bmi", "bp", "s1_tc", "s2_ldl", "s3_hdl", "s4_tch", "s5_ltg", "s6_glu"};
    Dataset<Row> diabetes = new VectorAssembler().setInputCols(features).setOutputCol("x")
        .transform(MlTestData.csv(MlTestData.DIABETES)).cache();
    NeuralNetRegressionModel m = new NeuralNetRegressor().setFeaturesCol("x").setLabelCol("progression")
        .setPredictionCol("predicted").setHiddenLayers(16).setLearningRate(0.05).setEpochs(30).setBatchSize(32)
        .setValidationFraction(0.2).fit(diabetes);
    assertEquals(30, m.summary().validationRmseHistory().length);
    assertTrue(Double.isNaN(m.summary().validationMetrics().accuracy()), "no accuracy for a regression");
    Dataset<Row> scored = m.transform(diabetes);
    double rmse = new RegressionEvaluator().setLabelCol("progression").setPredictionCol("predicted")
        .evaluate(scored);
    // The train job's diabetes sample reaches RMSE about 51 on held-out rows (target range 25-346).
    assertTrue(rmse < 60, "rmse " + rmse);
    for (Row r : scored.select("x", "predicted").collectAsList()) {
      assertEquals(r.getDouble(1), m.predict((Vector) r.get(0)), ROW_VERSUS_BATCH);
    }

    String path = dir.resolve("regressor").toString();
    m.write().save(path);
    NeuralNetRegressionModel loaded = NeuralNetRegressionModel.load(path);
    assertEquals("x", loaded.getFeaturesCol());
    assertEquals("predicted", loaded.getPredictionCol());
    assertArrayEquals(m.savedModel().parameters(), loaded.savedModel().parameters(), EXACT);
    assertEquals(scored.select("predicted").collectAsList(), loaded.transform(diabetes).select("predicted")
        .collectAsList());
    assertThrows(Exception.class, () -> m.write().save(path), "no overwrite without overwrite()");
    m.write().overwrite().save(path);
    assertFalse(NeuralNetRegressionModel.load(path).savedModel().provenance().isEmpty(),
        "the provenance of the job's model.json comes along");
  }
}
