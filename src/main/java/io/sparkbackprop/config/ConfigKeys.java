package io.sparkbackprop.config;

import java.util.List;
import java.util.Locale;

/** Every key a training config may contain (besides free-form {@code spark.conf.*}). */
final class ConfigKeys {
  static final String SPARK_CONF = "spark.conf";

  static final List<String> ALL = List.of(
      "data.train.path", "data.train.format",
      "data.validation.path", "data.validation.format", "data.validation.fraction",
      "data.features", "data.label", "data.standardize", "data.handleInvalid",
      "model.layers", "model.init",
      "loss.type", "loss.reduction",
      "optimizer.type", "optimizer.learningRate", "optimizer.momentum", "optimizer.beta1",
      "optimizer.beta2", "optimizer.epsilon", "optimizer.weightDecay", "optimizer.alpha",
      "optimizer.clipNorm",
      "optimizer.schedule.type", "optimizer.schedule.stepSize", "optimizer.schedule.gamma",
      "optimizer.schedule.minLearningRate", "optimizer.schedule.warmupEpochs",
      "training.epochs", "training.batchSize", "training.seed", "training.partitions",
      "training.aggregationDepth", "training.precision", "training.exchange",
      "training.earlyStopping.metric", "training.earlyStopping.patience",
      "training.earlyStopping.minDelta",
      "training.checkpoint.dir", "training.checkpoint.everyEpochs", "training.checkpoint.keep",
      "output.model", "output.overwrite", "output.root", "output.version", "output.keepVersions",
      "output.gate.metric", "output.gate.threshold", "output.gate.maxWorseThanLatest",
      "spark.master");

  static final List<String> LAYER_KEYS = List.of("units", "activation", "bias");

  private ConfigKeys() {
  }

  static boolean known(String path) {
    return ALL.contains(path) || path.startsWith(SPARK_CONF + ".");
  }

  /** A known key differing only in case, e.g. {@code learningrate} for {@code learningRate}. */
  static String suggestion(String path, List<String> candidates) {
    for (String k : candidates) {
      if (k.toLowerCase(Locale.ROOT).equals(path.toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    return null;
  }
}
