package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkbackprop.config.MapConfigLoader;
import io.sparkbackprop.config.InvalidConfigException;
import java.util.Map;
import org.apache.spark.ml.param.Param;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The params' Spark validators repeat the config's range checks (so a bad value fails at
 * {@code set}, in Spark's words); this proves the two agree on values at and around every bound,
 * so they cannot drift apart.
 */
class ValidatorAgreementTest {

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
      "learningRate, -1.0", "learningRate, 0.0", "learningRate, 1e-12", "learningRate, 5.0",
      "momentum, -0.1", "momentum, 0.0", "momentum, 0.99", "momentum, 1.0",
      "beta1, -0.1", "beta1, 0.0", "beta1, 0.999", "beta1, 1.0",
      "beta2, 1.0", "beta2, 0.5", "alpha, 1.0", "alpha, 0.0", "alpha, -0.5",
      "epsilon, -1e-9", "epsilon, 0.0", "epsilon, 1.0",
      "weightDecay, -0.1", "weightDecay, 0.0", "weightDecay, 2.0",
      "clipNorm, -0.1", "clipNorm, 0.0", "clipNorm, 1.0",
      "scheduleStepSize, 0", "scheduleStepSize, 1",
      "scheduleGamma, 0.0", "scheduleGamma, 1e-3", "scheduleGamma, 1.0", "scheduleGamma, 1.5",
      "minLearningRate, -1e-3", "minLearningRate, 0.0", "minLearningRate, 0.5",
      "warmupEpochs, -1", "warmupEpochs, 0",
      "epochs, 0", "epochs, 1",
      "batchSize, -1", "batchSize, 0", "batchSize, 1",
      "validationFraction, -0.1", "validationFraction, 0.0", "validationFraction, 0.5", "validationFraction, 1.0",
      "earlyStoppingPatience, 0", "earlyStoppingPatience, 1",
      "earlyStoppingMinDelta, -0.1", "earlyStoppingMinDelta, 0.0",
      "partitions, -1", "partitions, 0", "aggregationDepth, 0", "aggregationDepth, 1",
      "optimizer, adamw", "optimizer, lbfgs", "init, he", "init, normal",
      "schedule, step", "schedule, poly", "lossReduction, sum", "lossReduction, none",
      "earlyStoppingMetric, validationLoss", "earlyStoppingMetric, trainLoss",
      "precision, float64", "precision, double"})
  void sparkValidatorAcceptsExactlyWhatTheConfigAccepts(String name, String text) {
    // Permissive context: every cross-key check passes, so only the value's own range decides.
    NeuralNetClassifier c = new NeuralNetClassifier().setOptimizer("momentum").setLearningRate(10)
        .setValidationFraction(0.5).setEarlyStoppingMetric("validationLoss");
    Param<Object> p = c.getParam(name);
    Object value = text.matches("-?\\d+") ? (Object) Integer.valueOf(text)
        : text.matches("-?[\\d.e-]+") ? (Object) Double.valueOf(text) : text;
    if (name.equals("optimizer") || name.equals("learningRate")) {
      c.clear(c.momentum());   // not every optimizer takes a momentum
    }
    if (name.equals("validationFraction")) {
      c.clear(c.earlyStoppingMetric());   // early stopping needs a fraction > 0
    }
    boolean spark = (Boolean) p.isValid().apply(value);
    Map<String, Object> settings = TrainConfigs.settings(c, "features", "label", "crossEntropy", c.outputLayer(3));
    settings.put(c.networkParamSet().configKeys().get(name), TrainConfigs.configValue(name, value));
    boolean config;
    try {
      MapConfigLoader.fromSettings(settings, "probe");
      config = true;
    } catch (InvalidConfigException e) {
      config = false;
    }
    assertEquals(config, spark, name + " = " + text);
  }
}
