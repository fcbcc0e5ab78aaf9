package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CrossValidator and TrainValidationSplit over the estimators' params, with Spark's evaluators. */
class TuningTest {
  /** A learning rate so small that 40 full-batch Adam steps leave the weights near their start. */
  private static final double TOO_SMALL = 1e-6;
  private static final double GOOD = 0.05;

  @TempDir
  Path dir;

  @Test
  void crossValidatorPicksTheLearningRateThatLearnsAndItsModelSavesAndLoads() throws Exception {
    Dataset<Row> iris = MlTestData.irisNamed().cache();
    NeuralNetClassifier nn = new NeuralNetClassifier().setEpochs(40).setBatchSize(0).setStandardize(true).setSeed(3);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new StringIndexer().setInputCol("species").setOutputCol("label"),
        new VectorAssembler().setInputCols(MlTestData.IRIS_FEATURES).setOutputCol("features"), nn});
    ParamMap[] grid = new ParamGridBuilder()
        .addGrid(nn.learningRate(), new double[] {TOO_SMALL, GOOD})
        .addGrid(nn.hiddenLayers(), ParamValues.of("4:relu", "8:tanh"))
        .build();
    CrossValidator cv = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(grid)
        .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy")).setNumFolds(2).setSeed(5);
    CrossValidatorModel cvModel = cv.fit(iris);

    NeuralNetClassificationModel best = (NeuralNetClassificationModel)
        ((PipelineModel) cvModel.bestModel()).stages()[2];
    assertEquals(GOOD, ((NeuralNetClassifier) best.parent()).getLearningRate());
    double[] metrics = cvModel.avgMetrics();
    for (int i = 0; i < grid.length; i++) {
      boolean good = (Double) grid[i].apply(nn.learningRate()) == GOOD;
      for (int j = 0; j < grid.length; j++) {
        boolean otherGood = (Double) grid[j].apply(nn.learningRate()) == GOOD;
        if (good && !otherGood) {
          assertTrue(metrics[i] > metrics[j], "accuracy with lr " + GOOD + " beats " + TOO_SMALL + ": "
              + java.util.Arrays.toString(metrics));
        }
      }
    }

    String path = dir.resolve("cv").toString();
    cvModel.write().save(path);
    CrossValidatorModel loaded = CrossValidatorModel.load(path);
    List<Row> before = cvModel.transform(iris).select("probability").collectAsList();
    List<Row> after = loaded.transform(iris).select("probability").collectAsList();
    for (int i = 0; i < before.size(); i++) {
      assertArrayEquals(((org.apache.spark.ml.linalg.Vector) before.get(i).get(0)).toArray(),
          ((org.apache.spark.ml.linalg.Vector) after.get(i).get(0)).toArray(), 0.0);
    }
  }

  @Test
  void trainValidationSplitTunesTheRegressorsHiddenLayers() {
    Dataset<Row> diabetes = new VectorAssembler()
        .setInputCols(new String[] {"age", "sex", "bmi", "bp", "s1_tc", "s2_ldl", "s3_hdl", "s4_tch", "s5_ltg", "s6_glu"})
        .setOutputCol("features").transform(MlTestData.csv(MlTestData.DIABETES)).withColumnRenamed("progression", "label")
        .cache();
    NeuralNetRegressor nn = new NeuralNetRegressor().setEpochs(30).setBatchSize(64).setLearningRate(0.05).setSeed(2);
    ParamMap[] grid = new ParamGridBuilder().addGrid(nn.hiddenLayers(), ParamValues.of("", "8:relu")).build();
    TrainValidationSplit tvs = new TrainValidationSplit().setEstimator(nn).setEstimatorParamMaps(grid)
        .setEvaluator(new RegressionEvaluator().setMetricName("rmse")).setTrainRatio(0.75).setSeed(4);
    TrainValidationSplitModel model = tvs.fit(diabetes);
    // 180 Adam steps of at most lr = 0.05 each cannot move a linear model's bias to the target mean
    // (about 152), while 8 relu units scale their way there: the split must see that.
    double[] rmses = model.validationMetrics();
    assertTrue(rmses[1] < rmses[0], java.util.Arrays.toString(rmses));
    NeuralNetRegressionModel best = (NeuralNetRegressionModel) model.bestModel();
    assertEquals("8:relu", ((NeuralNetRegressor) best.parent()).getHiddenLayers());
    double rmse = new RegressionEvaluator().setMetricName("rmse").evaluate(best.transform(diabetes));
    // The job's diabetes sample reaches RMSE about 51 (target range 25-346); this budget about 52.
    assertTrue(rmse < 60, "rmse " + rmse);
  }
}
