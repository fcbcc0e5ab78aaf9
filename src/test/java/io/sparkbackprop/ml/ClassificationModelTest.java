package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.data.DataException;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.LayerSpec;
import java.util.List;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fitted classifier's columns, single-row methods, thresholds and input checks. */
class ClassificationModelTest {
  /** One row through BLAS versus a batch of rows: the products may be blocked differently. */
  private static final double ROW_VERSUS_BATCH = 1e-12;
  /** Probabilities of one row sum to 1 up to rounding of a softmax of 3 or a sigmoid. */
  private static final double SUMS_TO_ONE = 1e-12;
  /** Breast cancer is nearly linearly separable; 20 epochs reach this on the training rows. */
  private static final double MIN_AUC = 0.97;

  private static Dataset<Row> iris;
  private static NeuralNetClassificationModel model;

  @BeforeAll
  static void fit() {
    iris = MlTestData.irisAssembled().cache();
    model = new NeuralNetClassifier().setHiddenLayers("8:tanh").setLearningRate(0.05).setEpochs(20).fit(iris);
  }

  @Test
  void transformAddsSparksClassifierColumnsWithMetadata() {
    Dataset<Row> scored = model.transform(iris);
    List<String> columns = List.of(scored.columns());
    assertEquals(List.of("rawPrediction", "probability", "prediction"), columns.subList(columns.size() - 3,
        columns.size()));
    Attribute prediction = Attribute.fromStructField(scored.schema().apply("prediction"));
    assertTrue(prediction instanceof NominalAttribute n && n.getNumValues().get().equals(3), prediction.toString());
    for (Row r : scored.select("probability").collectAsList()) {
      double[] p = ((Vector) r.get(0)).toArray();
      assertEquals(1.0, p[0] + p[1] + p[2], SUMS_TO_ONE);
    }
  }

  @Test
  void singleRowMethodsAgreeWithTransform() {
    for (Row r : model.transform(iris).select("features", "rawPrediction", "probability", "prediction")
        .collectAsList()) {
      Vector features = (Vector) r.get(0);
      assertArrayEquals(((Vector) r.get(1)).toArray(), model.predictRaw(features).toArray(), ROW_VERSUS_BATCH);
      assertArrayEquals(((Vector) r.get(2)).toArray(), model.predictProbability(features).toArray(),
          ROW_VERSUS_BATCH);
      assertEquals(r.getDouble(3), model.predict(features));
    }
  }

  @Test
  void thresholdsDecideThePredictionAsInSpark() {
    double[] thresholds = {0.2, 0.9, 0.5};
    NeuralNetClassificationModel m = model.copy(new org.apache.spark.ml.param.ParamMap())
        .setThresholds(thresholds).setProbabilityCol("");
    Dataset<Row> scored = m.transform(iris);
    assertFalse(List.of(scored.columns()).contains("probability"), "probabilityCol '' leaves it out");
    List<Row> rows = scored.select("features", "prediction").collectAsList();
    boolean differsFromArgMax = false;
    for (Row r : rows) {
      double[] p = model.predictProbability((Vector) r.get(0)).toArray();
      int best = 0;
      for (int k = 1; k < 3; k++) {
        best = p[k] / thresholds[k] > p[best] / thresholds[best] ? k : best;
      }
      assertEquals(best, r.getDouble(1));
      assertEquals(best, m.predict((Vector) r.get(0)));
      differsFromArgMax |= best != model.predict((Vector) r.get(0));
    }
    assertTrue(differsFromArgMax, "the thresholds were strong enough to change some predictions");
    // Spark's setThresholds checks the length; thresholds copied from an estimator are checked here.
    NeuralNetClassificationModel wrong = model.copy(new org.apache.spark.ml.param.ParamMap()
        .put(model.thresholds(), new double[] {0.5, 0.5}));
    assertEquals("NeuralNetClassificationModel.transform() called with non-matching numClasses and "
        + "thresholds.length. numClasses=3, but thresholds has length 2",
        assertThrows(IllegalArgumentException.class, () -> wrong.transform(iris)).getMessage());
  }

  @Test
  void renamedAndEmptyOutputColumnsAreHonoured() {
    NeuralNetClassificationModel m = model.copy(new org.apache.spark.ml.param.ParamMap())
        .setPredictionCol("species").setRawPredictionCol("");
    List<String> columns = List.of(m.transform(iris).columns());
    assertTrue(columns.contains("species") && columns.contains("probability"), columns.toString());
    assertFalse(columns.contains("rawPrediction"), columns.toString());
  }

  @Test
  void binaryCrossEntropyGivesOneSigmoidUnitAndWorksWithTheBinaryEvaluator() {
    Dataset<Row> cancer = MlTestData.breastCancer().cache();
    NeuralNetClassificationModel binary = new NeuralNetClassifier().setLoss("binaryCrossEntropy")
        .setHiddenLayers(new LayerSpec(4, Activation.RELU, true)).setLearningRate(0.01).setEpochs(20).fit(cancer);
    assertEquals(List.of(new LayerSpec(4, Activation.RELU, true), new LayerSpec(1, Activation.SIGMOID, true)),
        binary.savedModel().network().layers());
    assertEquals(2, binary.numClasses());
    Dataset<Row> scored = binary.transform(cancer);
    double auc = new BinaryClassificationEvaluator().evaluate(scored);
    assertTrue(auc >= MIN_AUC, "area under ROC " + auc);
    Row first = scored.select("rawPrediction", "probability").first();
    double[] raw = ((Vector) first.get(0)).toArray();
    assertEquals(-raw[0], raw[1], 0.0, "[-z, z] as Spark's LogisticRegression");
    assertEquals(Activation.sigmoid(raw[1]), ((Vector) first.get(1)).toArray()[1], SUMS_TO_ONE);
  }

  @Test
  void badInputIsReportedWithTheColumnAndRow() {
    // Metadata says 2 classes (as a StringIndexer fitted elsewhere would); iris rows 100.. are class 2.
    Dataset<Row> twoClasses = iris.coalesce(1).withColumn("label", functions.col("label"),
        NominalAttribute.defaultAttr().withNumValues(2).toMetadata());
    NeuralNetClassifier nn = new NeuralNetClassifier().setEpochs(1);
    // Refused on the driver, before training: not a failed (and retried) task.
    DataException e = assertThrows(DataException.class, () -> nn.fit(twoClasses));
    assertEquals(nn.uid() + ": training rows: 50 invalid rows of 150: column 'label' is out of range, expected a class"
        + " index 0..1 in 50 rows (row 100 of input partition 0: 2.0, row 101 of input partition 0: 2.0, row 102 of input partition 0:"
        + " 2.0, ...); set handleInvalid = skip to drop invalid rows", e.getMessage());
    Dataset<Row> fraction = iris.withColumn("label", functions.when(functions.col("label").equalTo(1), 1.5)
        .otherwise(functions.col("label")));
    assertTrue(assertThrows(RuntimeException.class, () -> nn.fit(fraction)).getMessage()
        .contains("Labels MUST be Integers, but got 1.5"), "Spark's own check when it infers the classes");
    DataException missing = assertThrows(DataException.class, () -> model.transform(iris.drop("features")));
    assertTrue(missing.getMessage().startsWith(model.uid() + ": no column 'features'; columns are"),
        missing.getMessage());
    IllegalArgumentException oneClass = assertThrows(IllegalArgumentException.class,
        () -> new NeuralNetClassifier().fit(iris.filter("label = 0")));
    assertTrue(oneClass.getMessage().endsWith("the label column 'label' has 1 class; a classifier needs at least 2"),
        oneClass.getMessage());
  }
}
