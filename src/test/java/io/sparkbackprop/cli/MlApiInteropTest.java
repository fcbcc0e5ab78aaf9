package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.SparkTestSession;
import io.sparkbackprop.ml.NeuralNetClassificationModel;
import io.sparkbackprop.ml.NeuralNetClassifier;
import io.sparkbackprop.model.LocalModelStore;
import io.sparkbackprop.model.ModelCodec;
import io.sparkbackprop.model.SavedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark ML API and the jobs share one trainer, one model format and one scorer: a model saved
 * by the API is scored by {@code jobs/predict.sh} exactly as by {@code transform}, a model of
 * {@code jobs/train.sh} works in the API, and both train the same weights from the same rows.
 */
class MlApiInteropTest {
  /** The same weights and the same scoring code on both sides: no rounding may differ. */
  private static final double IDENTICAL = 0.0;
  private static final String IRIS = "data-samples/iris/iris.csv";
  private static final String[] FEATURES = {"sepal_length", "sepal_width", "petal_length", "petal_width"};
  private static final String[] NAMES = {"setosa", "versicolor", "virginica"};

  @TempDir
  Path dir;

  private static Dataset<Row> iris() {
    return SparkTestSession.get().read().option("header", "true").option("inferSchema", "true").csv(IRIS);
  }

  private static Dataset<Row> assembled(Dataset<Row> df) {
    return new VectorAssembler().setInputCols(FEATURES).setOutputCol("features").transform(df);
  }

  private Path predictJob(Path model, Dataset<Row> input) {
    Path in = dir.resolve("input.parquet");
    input.write().parquet(in.toString());
    Path out = dir.resolve("scores.parquet");
    JobHarness.Result r = JobHarness.run(PredictJob::run, "--model", model.toString(), "--input", in.toString(),
        "--output", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    return out;
  }

  private static void assertSameScores(Dataset<Row> expected, Dataset<Row> actual) {
    List<Row> e = expected.orderBy("id").select("probability", "prediction").collectAsList();
    List<Row> a = actual.orderBy("id").select("probability", "prediction").collectAsList();
    assertEquals(e.size(), a.size());
    for (int i = 0; i < e.size(); i++) {
      assertArrayEquals(((Vector) e.get(i).get(0)).toArray(), ((Vector) a.get(i).get(0)).toArray(), IDENTICAL);
      assertEquals(e.get(i).getDouble(1), a.get(i).getDouble(1), "row " + i);
    }
  }

  @Test
  void predictJobScoresAModelSavedByTheApiAsTransformDoes() throws IOException {
    Dataset<Row> named = iris().withColumn("id", functions.monotonically_increasing_id())
        .withColumn("species", functions.element_at(functions.array(functions.lit(NAMES[0]),
            functions.lit(NAMES[1]), functions.lit(NAMES[2])), functions.col("species").cast("int").plus(1)));
    PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {
        new StringIndexer().setInputCol("species").setOutputCol("label"),
        new VectorAssembler().setInputCols(FEATURES).setOutputCol("features"),
        new NeuralNetClassifier().setHiddenLayers("8:tanh").setLearningRate(0.05).setEpochs(15).setStandardize(true)
    }).fit(named);
    NeuralNetClassificationModel model = (NeuralNetClassificationModel) fitted.stages()[2];
    Path saved = dir.resolve("api-model");
    model.write().save(saved.toString());

    // predict.sh applies the network only: its input has the vector column the pipeline assembled.
    Dataset<Row> input = assembled(named.drop("species"));
    Dataset<Row> scored = SparkTestSession.get().read().parquet(predictJob(saved.resolve("data"), input).toString());
    assertSameScores(model.transform(input), scored);
    List<Row> labels = scored.select("prediction", "predictedLabel").collectAsList();
    for (Row r : labels) {
      String expected = model.savedModel().labels().get((int) r.getDouble(0));
      assertEquals(expected, r.getString(1), "class names from StringIndexer reach predict.sh");
    }
  }

  private Path trainJob(String... sets) throws IOException {
    Path conf = dir.resolve("iris.conf");
    Files.writeString(conf, String.join("\n",
        "data { train.path = \"" + IRIS + "\", features = [sepal_length, sepal_width, petal_length, petal_width],",
        "  label = species }",
        "model.layers = [ { units = 8, activation = tanh }, { units = 3, activation = softmax } ]",
        "loss.type = crossEntropy",
        "optimizer { type = adam, learningRate = 0.05 }",
        "training { epochs = 12, batchSize = 32, seed = 11 }",
        "output.model = \"" + dir.resolve("job-model") + "\""));
    String[] args = new String[1 + 2 * sets.length];
    args[0] = conf.toString();
    for (int i = 0; i < sets.length; i++) {
      args[1 + 2 * i] = "--set";
      args[2 + 2 * i] = sets[i];
    }
    JobHarness.Result r = JobHarness.run(TrainJob::run, args);
    assertEquals(0, r.exitCode(), r.err());
    return dir.resolve("job-model");
  }

  @Test
  void aModelOfTheTrainJobWorksInTheApiAsInPredictJob() throws IOException {
    Path jobModel = trainJob();
    NeuralNetClassificationModel model = NeuralNetClassificationModel.fromModelDirectory(jobModel.toString());
    assertTrue(model.hasSummary(), "history.jsonl and metrics.json come along");
    assertEquals(12, model.summary().totalEpochs());
    Dataset<Row> input = assembled(iris().withColumn("id", functions.monotonically_increasing_id()));
    Dataset<Row> scored = SparkTestSession.get().read().parquet(predictJob(jobModel, input).toString());
    assertSameScores(model.transform(input), scored);
  }

  @Test
  void theEstimatorTrainsExactlyTheWeightsOfTheTrainJob() throws IOException {
    SavedModel job = ModelCodec.decode(new LocalModelStore(), trainJob().toString());
    // The same rows in the same partition (one small file), the same settings: one engine.
    NeuralNetClassificationModel api = new NeuralNetClassifier().setHiddenLayers("8:tanh").setLearningRate(0.05)
        .setEpochs(12).setBatchSize(32).setSeed(11).setLabelCol("species").fit(assembled(iris()));
    assertEquals(job.network(), api.savedModel().network());
    assertArrayEquals(job.parameters(), api.savedModel().parameters(), IDENTICAL);
  }
}
