package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.config.MapConfigLoader;
import io.sparkbackprop.config.InvalidRowPolicy;
import io.sparkbackprop.config.TrainConfig;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Init;
import io.sparkbackprop.nn.LayerSpec;
import io.sparkbackprop.nn.LossType;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Reduction;
import io.sparkbackprop.optim.OptimizerType;
import io.sparkbackprop.optim.ScheduleType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The training params: defaults, the config they make, validation messages. No Spark needed. */
class NetworkParamsTest {
  private static final LayerSpec SOFTMAX_3 = LayerSpec.dense(3, Activation.SOFTMAX);

  private static TrainConfig config(NeuralNetClassifier c) {
    return TrainConfigs.build(c, c.getFeaturesCol(), c.getLabelCol(), c.getLoss(), c.outputLayer(3));
  }

  /** The TrainConfig without its source text, which records how it was written, not what it is. */
  private static TrainConfig content(TrainConfig c) {
    return new TrainConfig(c.data(), c.layers(), c.init(), c.loss(), c.reduction(), c.optimizer(), c.schedule(),
        c.training(), c.output(), c.sparkMaster(), c.sparkConf(), "");
  }

  @Test
  void defaultParamsMakeTheConfigOfDefaultsConf() {
    Map<String, Object> minimal = new LinkedHashMap<>();
    minimal.put("data.features", "features");
    minimal.put("data.label", "label");
    minimal.put("model.layers", List.of(Map.of("units", 3, "activation", "softmax")));
    minimal.put("loss.type", "crossEntropy");
    TrainConfig fromDefaults = MapConfigLoader.fromSettings(minimal, "test");
    assertEquals(content(fromDefaults), content(config(new NeuralNetClassifier())));

    NeuralNetRegressor r = new NeuralNetRegressor();
    minimal.put("model.layers", List.of(Map.of("units", 1, "activation", "linear")));
    minimal.put("loss.type", "mse");
    assertEquals(content(MapConfigLoader.fromSettings(minimal, "test")),
        content(TrainConfigs.build(r, "features", "label", "mse", r.outputLayer())));
  }

  /** Each param, a value other than its default, and where the config shows it. */
  private static final Map<String, Object[]> NON_DEFAULTS = new LinkedHashMap<>();

  private static void nonDefault(String param, Object value, Function<TrainConfig, Object> read, Object expected) {
    NON_DEFAULTS.put(param, new Object[] {value, read, expected});
  }

  static {
    nonDefault("init", "he", TrainConfig::init, Init.HE);
    nonDefault("lossReduction", "sum", TrainConfig::reduction, Reduction.SUM);
    nonDefault("optimizer", "rmsprop", c -> c.optimizer().type(), OptimizerType.RMSPROP);
    nonDefault("learningRate", 0.5, c -> c.optimizer().learningRate(), 0.5);
    nonDefault("momentum", 0.5, c -> c.optimizer().momentum(), 0.5);
    nonDefault("beta1", 0.5, c -> c.optimizer().beta1(), 0.5);
    nonDefault("beta2", 0.5, c -> c.optimizer().beta2(), 0.5);
    nonDefault("epsilon", 0.5, c -> c.optimizer().epsilon(), 0.5);
    nonDefault("weightDecay", 0.5, c -> c.optimizer().weightDecay(), 0.5);
    nonDefault("alpha", 0.5, c -> c.optimizer().alpha(), 0.5);
    nonDefault("clipNorm", 0.5, c -> c.training().clipNorm(), 0.5);
    nonDefault("schedule", "cosine", c -> c.schedule().type(), ScheduleType.COSINE);
    nonDefault("scheduleStepSize", 3, c -> c.schedule().stepSize(), 3);
    nonDefault("scheduleGamma", 0.5, c -> c.schedule().gamma(), 0.5);
    nonDefault("minLearningRate", 1e-4, c -> c.schedule().minLearningRate(), 1e-4);
    nonDefault("warmupEpochs", 2, c -> c.schedule().warmupEpochs(), 2);
    nonDefault("epochs", 3, c -> c.training().epochs(), 3);
    nonDefault("batchSize", 0, c -> c.training().fullBatch(), true);
    nonDefault("seed", 99L, c -> c.training().seed(), 99L);
    nonDefault("validationFraction", 0.25, c -> c.data().validationFraction(), 0.25);
    nonDefault("earlyStoppingMetric", "validationAccuracy", c -> c.training().earlyStopping().metric(),
        "validationAccuracy");
    nonDefault("earlyStoppingPatience", 2, c -> c.training().earlyStopping().patience(), 2);
    nonDefault("earlyStoppingMinDelta", 0.5, c -> c.training().earlyStopping().minDelta(), 0.5);
    nonDefault("standardize", true, c -> c.data().standardize(), true);
    nonDefault("handleInvalid", "skip", c -> c.data().handleInvalid(), InvalidRowPolicy.SKIP);
    nonDefault("partitions", 4, c -> c.training().partitions(), 4);
    nonDefault("aggregationDepth", 3, c -> c.training().aggregationDepth(), 3);
    nonDefault("precision", "float64", c -> c.training().precision(), Precision.FLOAT64);
    nonDefault("exchange", "persistentTasks", c -> c.training().exchange(),
        io.sparkbackprop.config.GradientExchange.PERSISTENT_TASKS);
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyTrainingParamSetsItsConfigKey() {
    NeuralNetClassifier probe = new NeuralNetClassifier();
    assertEquals(probe.networkParamSet().configKeys().keySet(), NON_DEFAULTS.keySet(),
        "this test covers every param that maps to a config key");
    for (Map.Entry<String, Object[]> e : NON_DEFAULTS.entrySet()) {
      // Early stopping needs validation rows; momentum needs an optimizer that has one.
      NeuralNetClassifier c = new NeuralNetClassifier().setEarlyStoppingMetric("validationLoss")
          .setValidationFraction(0.2).setOptimizer("momentum");
      Function<TrainConfig, Object> read = (Function<TrainConfig, Object>) e.getValue()[1];
      Object before = read.apply(config(c));
      c.set(c.getParam(e.getKey()), e.getValue()[0]);
      Object after = read.apply(config(c));
      assertEquals(e.getValue()[2], after, e.getKey());
      assertNotEquals(before, after, e.getKey() + " changed the config");
    }
  }

  @Test
  void hiddenLayersAndTheOutputLayerMakeTheConfigsLayers() {
    NeuralNetClassifier c = new NeuralNetClassifier().setHiddenLayers(16, 8).setOutputBias(false);
    assertEquals(List.of(LayerSpec.dense(16, Activation.RELU), LayerSpec.dense(8, Activation.RELU),
        new LayerSpec(3, Activation.SOFTMAX, false)), config(c).layers());
    assertEquals("16:relu,8:relu", c.getHiddenLayers());
    c.setHiddenLayers(new LayerSpec(4, Activation.TANH, false)).setLoss("binaryCrossEntropy");
    assertEquals(List.of(new LayerSpec(4, Activation.TANH, false), new LayerSpec(1, Activation.SIGMOID, false)),
        TrainConfigs.build(c, "f", "l", c.getLoss(), c.outputLayer(2)).layers());
    c.setLoss("mse").setOutputActivation("linear");
    assertEquals(new LayerSpec(2, Activation.LINEAR, false), c.outputLayer(2), "mse: one unit per class");
    assertEquals(LossType.MSE, TrainConfigs.build(c, "f", "l", c.getLoss(), c.outputLayer(2)).loss());
    assertEquals(new LayerSpec(1, Activation.SIGMOID, true),
        new NeuralNetRegressor().setOutputActivation("sigmoid").outputLayer());
  }

  @Test
  void optimizerHyperparametersDefaultPerOptimizerUnlessSet() {
    NeuralNetClassifier c = new NeuralNetClassifier();
    assertEquals(0.001, c.getLearningRate(), "adam's default");
    assertFalse(c.isDefined(c.learningRate()), "no fixed Spark default");
    c.setOptimizer("sgd");
    assertEquals(0.01, c.getLearningRate(), "sgd's default");
    assertEquals(0.01, config(c).optimizer().learningRate());
    c.setOptimizer("momentum");
    assertEquals(0.9, c.getMomentum());
    c.setLearningRate(0.3);
    assertEquals(0.3, c.getLearningRate());
    assertEquals(0.3, config(c).optimizer().learningRate());
  }

  @ParameterizedTest
  @CsvSource({
      "learningRate, -0.1", "learningRate, 0.0", "momentum, 1.0", "beta2, -0.5", "epsilon, -1.0",
      "scheduleGamma, 0.0", "validationFraction, 1.0", "earlyStoppingMinDelta, -0.1", "clipNorm, -1.0",
      "epochs, 0", "batchSize, -1", "partitions, -2", "aggregationDepth, 0", "scheduleStepSize, 0",
      "warmupEpochs, -1", "earlyStoppingPatience, 0",
      "optimizer, adagrad2", "init, glorot", "lossReduction, avg", "schedule, linear",
      "outputActivation, swish", "earlyStoppingMetric, validationF1", "loss, hinge", "precision, float16"})
  void invalidValuesFailWithSparksMessage(String name, String text) {
    NeuralNetClassifier c = new NeuralNetClassifier();
    Param<Object> p = c.getParam(name);
    Object value = text.matches("-?\\d+") ? (Object) Integer.valueOf(text)
        : text.matches("-?[\\d.]+") ? (Object) Double.valueOf(text) : text;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.set(p, value));
    assertEquals(c.uid() + " parameter " + name + " given invalid value " + text + ".", e.getMessage());
  }

  @Test
  void aBadLayerStringSaysWhichLayerAndWhy() {
    NeuralNetClassifier c = new NeuralNetClassifier();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.setHiddenLayers("16:relu,8:foo"));
    assertEquals(c.uid() + " parameter hiddenLayers given invalid value 16:relu,8:foo: layer 1 '8:foo': unknown "
        + "activation 'foo', expected one of [sigmoid, tanh, relu, leakyRelu, softmax, linear].", e.getMessage());
  }

  @Test
  void problemsAcrossParamsAreReportedWithParamNames() {
    NeuralNetClassifier early = new NeuralNetClassifier().setEarlyStoppingMetric("validationLoss");
    assertEquals(early.uid() + ": earlyStoppingMetric needs validation data: set validationFraction",
        assertThrows(IllegalArgumentException.class, () -> config(early)).getMessage());
    NeuralNetClassifier rmse = new NeuralNetClassifier().setEarlyStoppingMetric("validationRmse")
        .setValidationFraction(0.2);
    assertEquals(rmse.uid() + ": earlyStoppingMetric validationRmse needs a regression model; this model is a "
        + "classifier (use validationAccuracy or validationLoss)",
        assertThrows(IllegalArgumentException.class, () -> config(rmse)).getMessage());
    NeuralNetClassifier cosine = new NeuralNetClassifier().setSchedule("cosine").setMinLearningRate(0.01);
    assertEquals(cosine.uid() + ": minLearningRate must be <= learningRate 0.001, was 0.01",
        assertThrows(IllegalArgumentException.class, () -> config(cosine)).getMessage());
    NeuralNetClassifier softmax = new NeuralNetClassifier().setOutputActivation("sigmoid");
    assertEquals(softmax.uid() + ": outputActivation: loss crossEntropy needs the last layer's activation to be "
        + "softmax, was sigmoid", assertThrows(IllegalArgumentException.class, () -> config(softmax)).getMessage());
    NeuralNetClassifier nesterov = new NeuralNetClassifier().setOptimizer("nesterov").setMomentum(0.0);
    assertEquals(nesterov.uid() + ": momentum: nesterov needs momentum > 0, was 0.0",
        assertThrows(IllegalArgumentException.class, () -> config(nesterov)).getMessage());
    NeuralNetClassifier binary = new NeuralNetClassifier().setLoss("binaryCrossEntropy");
    assertEquals(binary.uid() + ": loss binaryCrossEntropy needs 2 classes, the label column 'label' has 3 "
        + "(use crossEntropy)", assertThrows(IllegalArgumentException.class, () -> binary.outputLayer(3)).getMessage());
  }

  @Test
  void everyParamIsListedWithItsDocAndCopiesKeepThem() {
    NeuralNetClassifier c = new NeuralNetClassifier().setEpochs(7);
    List<String> names = Arrays.stream(c.params()).map(Param::name).toList();
    assertTrue(names.containsAll(c.networkParamSet().configKeys().keySet()), names.toString());
    assertTrue(names.containsAll(List.of("hiddenLayers", "outputActivation", "outputBias", "loss", "featuresCol",
        "labelCol", "predictionCol", "rawPredictionCol", "probabilityCol", "thresholds")), names.toString());
    assertTrue(c.explainParams().contains("epochs: passes over the training rows, >= 1 (default: 10, current: 7)"),
        c.explainParams());
    assertTrue(c.explainParams().contains("or one of [sigmoid, tanh, relu, leakyRelu, softmax, linear] "
        + "(default: auto)"), c.explainParams());
    NeuralNetClassifier copy = c.copy(new ParamMap().put(c.learningRate(), 0.05));
    assertEquals(c.uid(), copy.uid());
    assertEquals(7, copy.getEpochs());
    assertEquals(0.05, copy.getLearningRate());
    assertEquals(0.001, c.getLearningRate(), "the original is unchanged");
  }
}
