package io.sparkbackprop.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkbackprop.ml.NeuralNetClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every training config key is either a param of the Spark ML estimators or listed here as not
 * one, so a new key cannot be forgotten by the API (docs/spark-ml-api.md lists the params).
 */
class MlParamsCoverConfigKeysTest {
  /** Keys the estimators set from something else, or that do not apply to DataFrames, or not yet offered. */
  private static final List<String> NOT_PARAMS = List.of(
      "data.train.path", "data.train.format", "data.validation.path", "data.validation.format",
      "data.features",   // featuresCol
      "data.label",      // labelCol
      "model.layers",    // hiddenLayers + outputActivation + outputBias
      "loss.type",       // the classifier's loss; mse for the regressor
      "training.checkpoint.dir", "training.checkpoint.everyEpochs", "training.checkpoint.keep",
      "output.model", "output.overwrite", "output.root", "output.version", "output.keepVersions",
      "output.gate.metric", "output.gate.threshold", "output.gate.maxWorseThanLatest",
      "spark.master");

  @Test
  void everyConfigKeyIsAParamOrDeliberatelyNot() {
    List<String> covered = new ArrayList<>(new NeuralNetClassifier().networkParamSet().configKeys().values());
    covered.addAll(NOT_PARAMS);
    assertEquals(new TreeSet<>(ConfigKeys.ALL), new TreeSet<>(covered));
    assertEquals(ConfigKeys.ALL.size(), covered.size(), "no key is counted twice");
  }
}
