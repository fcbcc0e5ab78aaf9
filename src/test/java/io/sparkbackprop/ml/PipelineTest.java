package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The classifier as a stage of a Pipeline: fit, transform, save, load. */
class PipelineTest {
  /** Iris is nearly separable; a small relu net reaches this on its training rows in 60 epochs. */
  private static final double MIN_TRAIN_ACCURACY = 0.9;
  /** The same weights and the same code score a loaded model: no rounding may differ. */
  private static final double IDENTICAL = 0.0;

  private static Dataset<Row> iris;
  private static PipelineModel fitted;

  @TempDir
  Path dir;

  static Pipeline pipeline() {
    StringIndexer indexer = new StringIndexer().setInputCol("species").setOutputCol("label");
    VectorAssembler assembler = new VectorAssembler().setInputCols(MlTestData.IRIS_FEATURES)
        .setOutputCol("features");
    NeuralNetClassifier nn = new NeuralNetClassifier().setHiddenLayers("16:relu").setLearningRate(0.02)
        .setEpochs(60).setBatchSize(32).setSeed(7).setStandardize(true);
    return new Pipeline().setStages(new PipelineStage[] {indexer, assembler, nn});
  }

  @BeforeAll
  static void fit() {
    iris = MlTestData.irisNamed().cache();
    fitted = pipeline().fit(iris);
  }

  @Test
  void pipelineFitsAndPredictsTheSpecies() {
    Dataset<Row> scored = fitted.transform(iris);
    assertTrue(List.of(scored.columns()).containsAll(List.of("rawPrediction", "probability", "prediction")));
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
    assertTrue(accuracy >= MIN_TRAIN_ACCURACY, "accuracy " + accuracy);
    NeuralNetClassificationModel model = (NeuralNetClassificationModel) fitted.stages()[2];
    assertEquals(3, model.numClasses());
    assertEquals(4, model.numFeatures());
    assertEquals(List.of("setosa", "versicolor", "virginica").size(), model.savedModel().labels().size(),
        "class names come from StringIndexer's metadata");
  }

  @Test
  void savedPipelineLoadsAndGivesIdenticalPredictions() throws Exception {
    String path = dir.resolve("pipeline").toString();
    fitted.write().overwrite().save(path);
    assertTrue(Files.isRegularFile(dir.resolve("pipeline/stages/2_" + fitted.stages()[2].uid()
        + "/data/weights.safetensors")), "the model directory sits under the stage's data/");
    PipelineModel loaded = PipelineModel.load(path);
    assertInstanceOf(NeuralNetClassificationModel.class, loaded.stages()[2]);

    List<Row> before = fitted.transform(iris).orderBy("sepal_length", "sepal_width", "petal_length", "petal_width")
        .select("probability", "prediction").collectAsList();
    List<Row> after = loaded.transform(iris).orderBy("sepal_length", "sepal_width", "petal_length", "petal_width")
        .select("probability", "prediction").collectAsList();
    assertEquals(before.size(), after.size());
    for (int i = 0; i < before.size(); i++) {
      assertArrayEquals(((Vector) before.get(i).get(0)).toArray(), ((Vector) after.get(i).get(0)).toArray(),
          IDENTICAL);
      assertEquals(before.get(i).getDouble(1), after.get(i).getDouble(1));
    }
  }

  @Test
  void unfittedPipelineWithTheEstimatorSavesAndLoadsItsParams() throws Exception {
    String path = dir.resolve("unfitted").toString();
    pipeline().write().save(path);
    Pipeline loaded = Pipeline.load(path);
    NeuralNetClassifier nn = (NeuralNetClassifier) loaded.getStages()[2];
    assertEquals("16:relu", nn.getHiddenLayers());
    assertEquals(0.02, nn.getLearningRate());
    assertEquals(60, nn.getEpochs());
    assertEquals(32, nn.getBatchSize());
    assertEquals(7L, nn.getSeed());
    assertTrue(nn.getStandardize());
  }

  @Test
  void estimatorSavesItsParamsAndLeavesUnsetHyperparametersToTheOptimizer() throws Exception {
    String path = dir.resolve("regressor").toString();
    new NeuralNetRegressor().setOptimizer("momentum").setMomentum(0.5).setHiddenLayers("4:tanh:nobias")
        .setEarlyStoppingMetric("validationRmse").write().save(path);
    NeuralNetRegressor loaded = NeuralNetRegressor.load(path);
    assertEquals("4:tanh:nobias", loaded.getHiddenLayers());
    assertEquals(0.5, loaded.getMomentum());
    assertEquals("validationRmse", loaded.getEarlyStoppingMetric());
    assertTrue(!loaded.isSet(loaded.learningRate()), "an unset learning rate stays unset");
    assertEquals(0.01, loaded.getLearningRate(), "so the optimizer's default applies");
  }
}
