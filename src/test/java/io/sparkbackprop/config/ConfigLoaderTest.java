package io.sparkbackprop.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.LayerSpec;
import io.sparkbackprop.nn.LossType;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Reduction;
import io.sparkbackprop.optim.OptimizerType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  private static final String MINIMAL = """
      data { train.path = "data/train.csv", features = [a, b], label = y }
      model.layers = [ { units = 4, activation = relu }, { units = 3, activation = softmax } ]
      loss.type = crossEntropy
      output.model = "out/model"
      """;

  @TempDir
  Path dir;

  private Path write(String text) throws IOException {
    Path p = dir.resolve("train.conf");
    Files.writeString(p, text);
    return p;
  }

  private String error(String text, String... sets) throws IOException {
    Path p = write(text);
    return assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(p, List.of(sets))).getMessage();
  }

  @Test
  void minimalConfigGetsTheDocumentedDefaults() throws IOException {
    TrainConfig c = ConfigLoader.load(write(MINIMAL), List.of());
    assertEquals(new DataSource("data/train.csv", "csv"), c.data().train());
    assertEquals(List.of("a", "b"), c.data().features().columns());
    assertEquals(List.of(new LayerSpec(4, Activation.RELU, true), new LayerSpec(3, Activation.SOFTMAX, true)), c.layers());
    assertEquals(LossType.CROSS_ENTROPY, c.loss());
    assertEquals(Reduction.MEAN, c.reduction());
    assertEquals(OptimizerType.ADAM, c.optimizer().type());
    assertEquals(0.001, c.optimizer().learningRate());
    TrainingSettings t = c.training();
    assertEquals(List.of(10, 128, 1L, 0, 2, 0.0), List.of(t.epochs(), t.batchSize(), t.seed(),
        t.partitions(), t.aggregationDepth(), t.clipNorm()));
    assertEquals(Precision.FLOAT32, t.precision());
    assertEquals(null, t.earlyStopping());
    assertEquals(false, t.checkpoint().enabled());
    assertEquals(false, c.data().standardize());
    assertEquals("local[*]", c.sparkMaster());
    assertEquals(new OutputSettings("out/model", null, null, 5, false, null), c.output());
  }

  @Test
  void gradientExchangeIsChosenByNameAndDefaultsToTreeAggregate() throws IOException {
    assertEquals(GradientExchange.TREE_AGGREGATE, ConfigLoader.load(write(MINIMAL), List.of()).training().exchange());
    TrainConfig c = ConfigLoader.load(write(MINIMAL), List.of("training.exchange=persistentTasks"));
    assertEquals(GradientExchange.PERSISTENT_TASKS, c.training().exchange());
  }

  @Test
  void precisionIsChosenByName() throws IOException {
    TrainConfig c = ConfigLoader.load(write(MINIMAL), List.of("training.precision=float64"));
    assertEquals(Precision.FLOAT64, c.training().precision());
  }

  @Test
  void overridesWinInOrderAndTakeHoconValues() throws IOException {
    TrainConfig c = ConfigLoader.load(write(MINIMAL), List.of("optimizer.type=momentum",
        "optimizer.learningRate=0.5", "optimizer.learningRate=0.25", "training.batchSize=full",
        "data.features=vec", "spark.conf.\"spark.executor.memory\"=2g"));
    assertEquals(OptimizerType.MOMENTUM, c.optimizer().type());
    assertEquals(0.25, c.optimizer().learningRate());
    assertEquals(0.9, c.optimizer().momentum(), "momentum keeps its type default");
    assertTrue(c.training().fullBatch());
    assertEquals("vec", c.data().features().vectorColumn());
    assertEquals("2g", c.sparkConf().get("spark.executor.memory"));
  }

  @Test
  void earlyStoppingAndCheckpointsAreCheckedAgainstTheRestOfTheConfig() throws IOException {
    TrainConfig c = ConfigLoader.load(write(MINIMAL), List.of("data.validation.fraction=0.2",
        "training.earlyStopping.metric=validationAccuracy", "training.checkpoint.everyEpochs=3"));
    assertEquals(new EarlyStoppingSettings("validationAccuracy", 5, 0), c.training().earlyStopping());
    assertEquals(new CheckpointSettings("out/model-checkpoints", 3, 2), c.training().checkpoint());
    assertTrue(error(MINIMAL + "training.earlyStopping.metric = validationLoss")
        .endsWith("training.earlyStopping.metric needs validation data: set data.validation.path or "
            + "data.validation.fraction"));
    assertTrue(error(MINIMAL + "data.validation.fraction = 0.1\ntraining.earlyStopping.metric = validationRmse")
        .endsWith("training.earlyStopping.metric validationRmse needs a regression model; this model is a "
            + "classifier (use validationAccuracy or validationLoss)"));
    assertTrue(error(MINIMAL + "data.validation.fraction = 0.1\ntraining.earlyStopping.metric = auc")
        .endsWith("training.earlyStopping.metric must be one of [validationLoss, validationAccuracy, "
            + "validationRmse], was 'auc'"));
  }

  @Test
  void nestedSparkConfKeysAreJoined() throws IOException {
    TrainConfig c = ConfigLoader.load(write(MINIMAL + "spark.conf { spark.sql.shuffle.partitions = 8 }"), List.of());
    assertEquals("8", c.sparkConf().get("spark.sql.shuffle.partitions"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "optimizer.learningrate = 0.1 | :5: optimizer.learningrate is not a known key (did you mean optimizer.learningRate?)",
      "training.epochz = 3 | :5: training.epochz is not a known key",
      "training.epochs = ten | :5: training.epochs must be an integer, was 'ten'",
      "training.epochs = 0 | :5: training.epochs must be >= 1, was 0",
      "training.epochs = 2.5 | :5: training.epochs must be an integer, was 2.5",
      "training.batchSize = half | :5: training.batchSize must be a positive integer or \"full\", was 'half'",
      "optimizer.learningRate = -0.1 | :5: optimizer.learningRate must be > 0, was -0.1",
      "optimizer.beta2 = 1 | :5: optimizer.beta2 must be in [0, 1), was 1.0",
      "optimizer.type = lbfgs | :5: optimizer.type: unknown optimizer 'lbfgs', expected one of [sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad]",
      "loss.reduction = avg | :5: loss.reduction: unknown loss reduction 'avg', expected one of [mean, sum]",
      "data.validation.fraction = 1.5 | :5: data.validation.fraction must be in [0, 1), was 1.5",
      "data.train.format = xls | :5: data.train.format must be one of [csv, json, libsvm, orc, parquet], was 'xls'",
      "output.overwrite = yes please | :5: output.overwrite must be true or false, was 'yes please'",
      "optimizer.clipNorm = -1 | :5: optimizer.clipNorm must be >= 0 (0 turns clipping off), was -1.0",
      "training.aggregationDepth = 0 | :5: training.aggregationDepth must be >= 1, was 0",
      "training.precision = float16 | :5: training.precision: unknown precision 'float16', expected one of [float64, float32]",
      "training.exchange = allReduce | :5: training.exchange: unknown value 'allReduce', expected one of [treeAggregate, persistentTasks]",
  })
  void badValuesAreRefusedWithFileLineAndKey(String line, String expected) throws IOException {
    String message = error(MINIMAL + line);
    assertEquals(dir.resolve("train.conf") + expected, message);
  }

  @Test
  void layerProblemsNameTheLayer() throws IOException {
    String base = MINIMAL.replace("{ units = 3, activation = softmax }", "%s");
    assertTrue(error(base.formatted("{ units = 3, activation = softmx }"))
        .endsWith(": model.layers[1].activation: unknown activation 'softmx', expected one of "
            + "[sigmoid, tanh, relu, leakyRelu, softmax, linear]"));
    assertTrue(error(base.formatted("{ units = 0, activation = softmax }"))
        .endsWith(": units must be >= 1, was 0"));
    assertTrue(error(base.formatted("{ units = 3, activaton = softmax }"))
        .endsWith(": model.layers[1].activaton is not a known key (did you mean activation?)")
        || error(base.formatted("{ units = 3, activaton = softmax }")).contains("activaton is not a known key"));
    assertTrue(error(base.formatted("{ units = 3, activation = linear }"))
        .endsWith("model.layers: loss crossEntropy needs the last layer's activation to be softmax, was linear"));
  }

  @Test
  void requiredKeysAndFormatInferenceAreExplained() throws IOException {
    assertTrue(error(MINIMAL.replace("output.model = \"out/model\"", ""))
        .endsWith(": set either output.model (one model directory) or output.root (a directory of versions)"));
    assertTrue(error(MINIMAL + "output.root = r").endsWith(
        ": set either output.model (one model directory) or output.root (a directory of versions)"));
    assertTrue(error(MINIMAL + "output.gate { metric = validationAccuracy, threshold = 0.9 }")
        .endsWith("output.gate.metric validationAccuracy needs validation data: set data.validation.path "
            + "or data.validation.fraction"));
    assertTrue(error(MINIMAL.replace("data/train.csv", "data/train"))
        .endsWith(": data.train.path 'data/train' has no known extension; set data.train.format to one of "
            + "[csv, json, libsvm, orc, parquet]"));
    assertTrue(error(MINIMAL + "data.label = a").endsWith(": data.label 'a' is also listed in data.features"));
    assertTrue(error(MINIMAL + "data.validation.path = v.csv\ndata.validation.fraction = 0.1")
        .contains("data.validation.fraction cannot be set together with data.validation.path"));
  }

  @Test
  void overrideErrorsNameTheOverride() throws IOException {
    assertEquals("--set training.epochs=-3: training.epochs must be >= 1, was -3",
        error(MINIMAL, "training.epochs=-3"));
    assertEquals("--set nonsense: expected key=value", error(MINIMAL, "nonsense"));
  }

  @Test
  void syntaxErrorsAreOneLineWithTheFile() throws IOException {
    String message = error(MINIMAL + "training { epochs = 3");
    assertTrue(message.contains("train.conf"), message);
    assertEquals(1, message.lines().count(), message);
  }

  @Test
  void theShippedConfigsAreValid() {
    for (String name : List.of("xor", "iris", "breast-cancer", "diabetes")) {
      TrainConfig c = ConfigLoader.load(Path.of("conf", name + ".conf"), List.of());
      assertTrue(c.training().epochs() > 0, name);
    }
  }
}
