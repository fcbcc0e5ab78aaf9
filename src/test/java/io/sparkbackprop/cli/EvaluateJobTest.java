package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkbackprop.model.LocalModelStore;
import io.sparkbackprop.model.ModelCodec;
import io.sparkbackprop.model.SavedModel;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.score.ScoringModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateJobTest {
  /** Hand-computed figures are exact fractions; Spark sums a few doubles to reach them. */
  private static final double HAND_COMPUTED = 1e-12;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private Path save(SavedModel model) throws IOException {
    Path p = dir.resolve("model");
    ModelCodec.save(new LocalModelStore(), p.toString(), model, false);
    return p;
  }

  private Path file(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  private JsonNode evaluate(Path model, Path input, String... extra) throws IOException {
    String[] args = new String[4 + extra.length];
    args[0] = "--model";
    args[1] = model.toString();
    args[2] = "--input";
    args[3] = input.toString();
    System.arraycopy(extra, 0, args, 4, extra.length);
    JobHarness.Result r = JobHarness.run(EvaluateJob::run, args);
    assertEquals(0, r.exitCode(), r.err());
    return JSON.readTree(r.out());
  }

  @Test
  void multiclassFiguresMatchAHandComputedConfusionMatrix() throws IOException {
    Path model = save(ScoringModels.oneHotSoftmax(List.of("cat", "dog", "fish")));
    // One-hot features: the model predicts the hot column, with probability 1/2 (others 1/4).
    // true  predicted:  cat cat | cat dog | dog dog | dog dog | fish cat | fish fish
    Path in = file("animals.csv", """
        a,b,c,animal
        1,0,0,cat
        0,1,0,cat
        0,1,0,dog
        0,1,0,dog
        1,0,0,fish
        0,0,1,fish
        """);
    JsonNode m = evaluate(model, in, "--label", "animal");
    assertEquals("classification", m.get("task").asText());
    assertEquals(6, m.get("rows").asInt());
    assertEquals("[[1,1,0],[0,2,0],[1,0,1]]", m.get("confusionMatrix").toString());
    assertEquals(4.0 / 6, m.get("accuracy").asDouble(), HAND_COMPUTED);
    // -log(1/2) for the 4 right rows, -log(1/4) for the 2 wrong ones.
    assertEquals((4 * Math.log(2) + 2 * Math.log(4)) / 6, m.get("logLoss").asDouble(), HAND_COMPUTED);
    JsonNode cat = m.get("perClass").get("cat");
    JsonNode dog = m.get("perClass").get("dog");
    JsonNode fish = m.get("perClass").get("fish");
    assertEquals(1.0 / 2, cat.get("precision").asDouble(), HAND_COMPUTED);
    assertEquals(2.0 / 3, dog.get("precision").asDouble(), HAND_COMPUTED);
    assertEquals(1.0, fish.get("precision").asDouble(), HAND_COMPUTED);
    assertEquals(1.0 / 2, cat.get("recall").asDouble(), HAND_COMPUTED);
    assertEquals(1.0, dog.get("recall").asDouble(), HAND_COMPUTED);
    assertEquals(1.0 / 2, fish.get("recall").asDouble(), HAND_COMPUTED);
    assertEquals(0.8, dog.get("f1").asDouble(), HAND_COMPUTED);
    assertEquals(2.0 / 3, fish.get("f1").asDouble(), HAND_COMPUTED);
    assertEquals(2, fish.get("support").asInt());
    // Every class has 2 true rows, so the weighted figures are plain means.
    assertEquals((0.5 + 2.0 / 3 + 1) / 3, m.get("weightedPrecision").asDouble(), HAND_COMPUTED);
    assertEquals((0.5 + 1 + 0.5) / 3, m.get("weightedRecall").asDouble(), HAND_COMPUTED);
    assertEquals((0.5 + 0.8 + 2.0 / 3) / 3, m.get("weightedF1").asDouble(), HAND_COMPUTED);
    assertFalse(m.has("areaUnderROC"), "three classes have no ROC curve");
  }

  @Test
  void aClassThatNeverOccursAsATrueLabelStillHasItsColumnInTheConfusionMatrix() throws IOException {
    Path model = save(ScoringModels.oneHotSoftmax(null));
    Path in = file("numeric.csv", "a,b,c,y\n1,0,0,0\n0,0,1,0\n0,1,0,1\n");
    JsonNode m = evaluate(model, in, "--label", "y");
    assertEquals("[[1,0,1],[0,1,0],[0,0,0]]", m.get("confusionMatrix").toString());
    JsonNode two = m.get("perClass").get("2");
    assertEquals(0.0, two.get("precision").asDouble(), 0.0, "predicted once, never right");
    assertTrue(two.get("recall").isNull(), "no true rows: recall is undefined");
    assertEquals(0, two.get("support").asInt());
  }

  @Test
  void binaryModelsAddAreasUnderTheCurvesComputedByHand() throws IOException {
    Path model = save(ScoringModels.sigmoidOfX());
    // Scores sigmoid(x): positives at x = -1, 1, 2; negatives at x = -2, 0.5.
    Path in = file("binary.csv", "x,y\n-2,0\n-1,1\n0.5,0\n1,1\n2,1\n");
    JsonNode m = evaluate(model, in, "--label", "y");
    // 5 of the 6 (positive, negative) pairs are ordered right (-1 ranks below 0.5).
    assertEquals(5.0 / 6, m.get("areaUnderROC").asDouble(), HAND_COMPUTED);
    // PR points by descending score (recall, precision): (0,1) (1/3,1) (2/3,1) (2/3,2/3) (1,3/4)
    // (1,3/5); trapezoids: 1/3 + 1/3 + 0 + 1/3 * (2/3 + 3/4) / 2 + 0 = 65/72.
    assertEquals(65.0 / 72, m.get("areaUnderPR").asDouble(), HAND_COMPUTED);
    assertEquals(3.0 / 5, m.get("accuracy").asDouble(), HAND_COMPUTED, "predictions 0 0 1 1 1 vs 0 1 0 1 1");
    double[] x = {-2, -1, 0.5, 1, 2};
    int[] y = {0, 1, 0, 1, 1};
    double logLoss = 0;
    for (int i = 0; i < 5; i++) {
      double p = Activation.sigmoid(x[i]);
      logLoss -= Math.log(y[i] == 1 ? p : 1 - p) / 5;
    }
    assertEquals(logLoss, m.get("logLoss").asDouble(), HAND_COMPUTED);
    assertEquals(List.of("0", "1"), List.of(JSON.treeToValue(m.get("classes"), String[].class)));
  }

  @Test
  void regressionFiguresMatchHandComputedOnes() throws IOException {
    Path model = save(ScoringModels.twoXPlusOne());
    // Predictions 1 3 5 7 against labels 1 2 6 7: errors 0 -1 1 0; mean label 4, total sum of squares 26.
    Path in = file("line.csv", "x,y\n0,1\n1,2\n2,6\n3,7\n");
    JsonNode m = evaluate(model, in, "--label", "y");
    assertEquals("regression", m.get("task").asText());
    assertEquals(0.5, m.get("mse").asDouble(), HAND_COMPUTED);
    assertEquals(Math.sqrt(0.5), m.get("rmse").asDouble(), HAND_COMPUTED);
    assertEquals(0.5, m.get("mae").asDouble(), HAND_COMPUTED);
    assertEquals(1 - 2.0 / 26, m.get("r2").asDouble(), HAND_COMPUTED);
    assertEquals(4, m.get("rows").asInt());
  }

  @Test
  void accuracyAgreesWithTheTrainingJobsMetricsOnTheSameData() throws IOException {
    Path model = dir.resolve("iris");
    JobHarness.Result train = JobHarness.run(TrainJob::run, "conf/iris.conf", "--set", "training.epochs=8",
        "--set", "data.validation.fraction=0", "--set", "output.model=\"" + model + "\"");
    assertEquals(0, train.exitCode(), train.err());
    JsonNode trained = JSON.readTree(model.resolve("metrics.json").toFile()).get("train");
    Path out = dir.resolve("eval/metrics.json");
    // No --label: the label column comes from the training config in the model's provenance.
    JsonNode m = evaluate(model, Path.of("data-samples/iris/iris.csv"), "--output", out.toString());
    assertEquals("species", m.get("label").asText());
    assertEquals(trained.get("rows").asInt(), m.get("rows").asInt());
    // Both count the same arg-max predictions of the same forward pass.
    assertEquals(trained.get("accuracy").asDouble(), m.get("accuracy").asDouble(), HAND_COMPUTED);
    // The trainer's cross-entropy comes from logits, Spark's logLoss from probabilities: same value
    // up to rounding in exp and log.
    assertEquals(trained.get("loss").asDouble(), m.get("logLoss").asDouble(), 1e-9);
    assertEquals(m, JSON.readTree(out.toFile()));

    JobHarness.Result again = JobHarness.run(EvaluateJob::run, "--model", model.toString(),
        "--input", "data-samples/iris/iris.csv", "--output", out.toString());
    assertEquals(ExitCodes.CANNOT_WRITE, again.exitCode(), again.err());
    assertEquals(m, JSON.readTree(out.toFile()), "the existing file is kept");
  }

  @Test
  void badLabelsExitWith65NamingTheRow() throws IOException {
    Path model = save(ScoringModels.oneHotSoftmax(List.of("cat", "dog", "fish")));
    Path in = file("animals.csv", "a,b,c,animal\n1,0,0,cat\n0,1,0,cow\n");
    JobHarness.Result unknown = JobHarness.run(EvaluateJob::run, "--model", model.toString(), "--input",
        in.toString(), "--label", "animal");
    assertEquals(ExitCodes.BAD_DATA, unknown.exitCode(), unknown.err());
    assertEquals("error: --input " + in + ": column 'animal' in row 1 of partition 0 is 'cow', not one of the"
        + " model's labels [cat, dog, fish]\n", unknown.err());

    Path numeric = file("numeric.csv", "a,b,c,y\n1,0,0,0\n0,1,0,3\n");
    JobHarness.Result range = JobHarness.run(EvaluateJob::run, "--model", model.toString(), "--input",
        numeric.toString(), "--label", "y");
    assertEquals(ExitCodes.BAD_DATA, range.exitCode(), range.err());
    assertEquals("error: --input " + numeric + ": column 'y' in row 1 of partition 0 is out of range, expected a class"
        + " index 0..2 (was 3.0)\n", range.err());

    JobHarness.Result noColumn = JobHarness.run(EvaluateJob::run, "--model", model.toString(), "--input",
        numeric.toString(), "--label", "z");
    assertEquals(ExitCodes.BAD_DATA, noColumn.exitCode(), noColumn.err());
    assertEquals("error: --input " + numeric + ": no label column 'z'; columns are [a, b, c, y]\n", noColumn.err());

    JobHarness.Result noProvenance = JobHarness.run(EvaluateJob::run, "--model", model.toString(), "--input",
        numeric.toString());
    assertEquals(ExitCodes.USAGE, noProvenance.exitCode(), noProvenance.err());
    assertEquals("error: the model does not record its label column (provenance.config.data.label);"
        + " give --label COL\n", noProvenance.err());
  }
}
