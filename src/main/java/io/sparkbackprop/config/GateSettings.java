package io.sparkbackprop.config;

import java.util.List;

/**
 * {@code output.gate}: a condition on a final metric of the new model. {@code threshold}: the
 * metric must be at least it (accuracy) or at most it (loss, RMSE). {@code maxWorseThanLatest}:
 * the metric may be worse than the current {@code LATEST} model's by at most this much. NaN
 * turns either check off.
 */
public record GateSettings(String metric, double threshold, double maxWorseThanLatest) {
  public static final List<String> METRICS = List.of("validationAccuracy", "validationLoss",
      "validationRmse", "trainAccuracy", "trainLoss", "trainRmse");

  public boolean higherIsBetter() {
    return metric.endsWith("Accuracy");
  }
}
