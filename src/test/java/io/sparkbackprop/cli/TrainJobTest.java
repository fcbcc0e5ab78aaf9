package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkbackprop.model.LocalModelStore;
import io.sparkbackprop.model.ModelCodec;
import io.sparkbackprop.model.SavedModel;
import io.sparkbackprop.nn.FeedForward;
import io.sparkbackprop.nn.LossType;
import io.sparkbackprop.nn.Reduction;
import io.sparkbackprop.nn.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainJobTest {
  @TempDir
  Path dir;

  private static double[] predict(SavedModel m, double[] x, int rows) {
    FeedForward net = new FeedForward(m.network(), LossType.MSE, Reduction.SUM);
    return net.predict(m.parameters(), x, rows, new Workspace(m.network(), rows));
  }

  private SavedModel load(Path modelDir) throws IOException {
    return ModelCodec.decode(new LocalModelStore(), modelDir.toString());
  }

  @Test
  void xorSeedExampleLearnsAndWritesTheModelDirectory() throws IOException {
    Path out = dir.resolve("xor");
    JobHarness.Result r = JobHarness.run(TrainJob::run, "conf/xor.conf", "--set", "output.model=\"" + out + "\"");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("epoch 1500/1500  step 1500  loss "), r.out());

    SavedModel model = load(out);
    double[] outputs = predict(model, new double[] {0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1}, 4);
    long[] rounded = new long[4];
    for (int i = 0; i < 4; i++) {
      rounded[i] = Math.round(outputs[i]);
    }
    assertEquals(List.of(0L, 1L, 1L, 0L), List.of(rounded[0], rounded[1], rounded[2], rounded[3]));

    List<String> history = Files.readAllLines(out.resolve("history.jsonl"));
    assertEquals(1500, history.size());
    JsonNode last = new ObjectMapper().readTree(history.get(1499));
    assertEquals(1500, last.get("epoch").asInt());
    assertEquals(1500, last.get("step").asInt());
    assertTrue(last.get("trainLoss").asDouble() < 0.05, "sum of squared errors " + last.get("trainLoss"));
    assertTrue(last.has("elapsedSeconds"));
    JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertEquals(4, metrics.get("train").get("rows").asInt());
    assertEquals(1, model.provenance().get("seed") instanceof Number n ? n.intValue() : -1);
  }

  @Test
  void irisSampleReachesNinetyPercentValidationAccuracy() throws IOException {
    Path out = dir.resolve("iris");
    JobHarness.Result r = JobHarness.run(TrainJob::run, "conf/iris.conf", "--set", "output.model=\"" + out + "\"");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    double accuracy = metrics.get("validation").get("accuracy").asDouble();
    // Iris is nearly separable; a small MLP gets 93-100% on a held-out fifth.
    assertTrue(accuracy >= 0.9, "validation accuracy " + accuracy);
    assertTrue(Files.readAllLines(out.resolve("history.jsonl")).get(0).contains("\"validationAccuracy\""));
  }

  @Test
  void initModelStartsFromAHandWrittenMinimalModelAndRefusesAnotherShape() throws IOException {
    Path init = dir.resolve("init");
    Files.createDirectories(init);
    // The minimal model.json of DESIGN.md, with weights written by hand (no sha256).
    Files.writeString(init.resolve("model.json"), """
        {"format": "spark-backprop-mlp", "formatVersion": 1, "inputSize": 3,
         "layers": [{"units": 4, "activation": "sigmoid", "bias": false},
                    {"units": 1, "activation": "sigmoid", "bias": false}]}""");
    double[] w = new double[16];
    for (int i = 0; i < w.length; i++) {
      w[i] = (i % 5) * 0.25 - 0.5;
    }
    Files.write(init.resolve("weights.safetensors"), ModelCodec.encode(
        SavedModel.builder(new io.sparkbackprop.nn.NetworkSpec(3, List.of(
            new io.sparkbackprop.nn.LayerSpec(4, io.sparkbackprop.nn.Activation.SIGMOID, false),
            new io.sparkbackprop.nn.LayerSpec(1, io.sparkbackprop.nn.Activation.SIGMOID, false))), w)
            .build()).get("weights.safetensors"));
    Path out = dir.resolve("warm");
    // A learning rate too small to move the weights visibly in one step: the result is the init.
    JobHarness.Result r = JobHarness.run(TrainJob::run, "conf/xor.conf", "--init-model", init.toString(),
        "--set", "training.epochs=1", "--set", "optimizer.learningRate=1e-12",
        "--set", "output.model=\"" + out + "\"");
    assertEquals(0, r.exitCode(), r.err());
    double[] trained = load(out).parameters();
    for (int i = 0; i < w.length; i++) {
      assertEquals(w[i], trained[i], 1e-9, "parameter " + i);
    }

    JobHarness.Result wrong = JobHarness.run(TrainJob::run, "conf/xor.conf", "--init-model", init.toString(),
        "--set", "model.layers=[{units=5, activation=sigmoid, bias=false},{units=1, activation=sigmoid, bias=false}]",
        "--set", "output.model=\"" + dir.resolve("never") + "\"");
    assertEquals(ExitCodes.BAD_CONFIG, wrong.exitCode(), wrong.err());
    assertEquals("error: --init-model " + init + ": the model's layers [4 sigmoid (no bias), 1 sigmoid (no bias)]"
        + " differ from model.layers [5 sigmoid (no bias), 1 sigmoid (no bias)]\n", wrong.err());
    assertFalse(Files.exists(dir.resolve("never")));
  }

  @Test
  void errorsGiveTheirExitCodesAndOneLine() throws IOException {
    Path conf = dir.resolve("bad.conf");
    Files.writeString(conf, Files.readString(Path.of("conf/xor.conf")) + "\ntraining.epochs = -1\n");
    JobHarness.Result bad = JobHarness.runWithoutSpark(TrainJob::run, conf.toString());
    assertEquals(ExitCodes.BAD_CONFIG, bad.exitCode());
    assertEquals(1, bad.err().lines().count(), bad.err());
    assertTrue(bad.err().startsWith("error: " + conf + ":"), bad.err());

    JobHarness.Result missing = JobHarness.runWithoutSpark(TrainJob::run, dir.resolve("nope.conf").toString());
    assertEquals(ExitCodes.INPUT_MISSING, missing.exitCode());
    assertEquals("error: config file '" + dir.resolve("nope.conf") + "' does not exist\n", missing.err());

    assertEquals(ExitCodes.USAGE, JobHarness.runWithoutSpark(TrainJob::run).exitCode());
    assertEquals(ExitCodes.USAGE, JobHarness.runWithoutSpark(TrainJob::run, "conf/xor.conf", "--bogus").exitCode());
  }

  @Test
  void dataErrorsNameTheColumn() throws IOException {
    JobHarness.Result noColumn = JobHarness.run(TrainJob::run, "conf/xor.conf", "--set", "data.features=[x1, x2, x9]",
        "--set", "output.model=\"" + dir.resolve("m") + "\"");
    assertEquals(ExitCodes.BAD_DATA, noColumn.exitCode());
    assertEquals("error: data.train.path: no column 'x9'; columns are [x1, x2, x3, y]\n", noColumn.err());

    Path csv = dir.resolve("labels.csv");
    Files.writeString(csv, "a,b,y\n1,2,0\n3,4,7\n");
    JobHarness.Result badLabel = JobHarness.run(TrainJob::run, "conf/iris.conf",
        "--set", "data.train.path=\"" + csv + "\"", "--set", "data.features=[a, b]", "--set", "data.label=y",
        "--set", "data.validation.fraction=0", "--set", "training.partitions=1",
        "--set", "output.model=\"" + dir.resolve("m") + "\"");
    assertEquals(ExitCodes.BAD_DATA, badLabel.exitCode());
    assertEquals("error: data.train.path: 1 invalid row of 2: column 'y' is out of range, expected a class index"
        + " 0..2 in 1 row (row 1 of input partition 0: 7.0); set data.handleInvalid = skip to drop invalid rows\n",
        badLabel.err());

    JobHarness.Result noData = JobHarness.run(TrainJob::run, "conf/xor.conf",
        "--set", "data.train.path=\"" + dir.resolve("absent.csv") + "\"", "--set", "output.model=\"" + dir.resolve("m") + "\"");
    assertEquals(ExitCodes.INPUT_MISSING, noData.exitCode());
    assertFalse(Files.exists(dir.resolve("m")));
  }

  @Test
  void divergenceExitsWith70AndLeavesTheLastGoodCheckpointButNoModel() throws IOException {
    Path out = dir.resolve("diverged");
    Path checkpoints = dir.resolve("ckpt");
    // The warm-up raises the rate until the steps overflow, a few epochs in (float64 arithmetic).
    JobHarness.Result r = JobHarness.run(TrainJob::run, "conf/diabetes.conf", "--set", "training.precision=float64",
        "--set", "optimizer.type=sgd", "--set", "optimizer.learningRate=0.2",
        "--set", "optimizer.schedule.warmupEpochs=20",
        "--set", "optimizer.weightDecay=0", "--set", "training.epochs=30",
        "--set", "training.checkpoint.everyEpochs=1", "--set", "training.checkpoint.dir=\"" + checkpoints + "\"",
        "--set", "output.model=\"" + out + "\"");
    assertEquals(ExitCodes.INTERNAL, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().startsWith("error: training diverged at epoch "), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertFalse(Files.exists(out));
    try (var names = Files.list(checkpoints)) {
      for (Path p : names.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
        double[] params = io.sparkbackprop.model.SafeTensors.decode(Files.readAllBytes(p.resolve("params.safetensors")))
            .get("params").values();
        for (double v : params) {
          assertTrue(Double.isFinite(v), p + " holds a non-finite weight");
        }
      }
    }
  }

  @Test
  void anExistingModelIsNotReplacedWithoutOverwrite() throws IOException {
    Path out = dir.resolve("existing");
    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "precious");
    JobHarness.Result r = JobHarness.run(TrainJob::run, "conf/xor.conf", "--set", "output.overwrite=false",
        "--set", "output.model=\"" + out + "\"");
    assertEquals(ExitCodes.CANNOT_WRITE, r.exitCode(), r.err());
    assertEquals("precious", Files.readString(out.resolve("keep.txt")));
  }
}
