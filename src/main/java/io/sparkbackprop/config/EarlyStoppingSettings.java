package io.sparkbackprop.config;

import java.util.List;

/**
 * {@code training.earlyStopping}: stop when the validation metric has not improved by more than
 * {@code minDelta} for {@code patience} epochs, and keep the best epoch's weights.
 *
 * @param metric {@code validationLoss} or {@code validationRmse} (lower is better) or
 *     {@code validationAccuracy} (higher is better)
 */
public record EarlyStoppingSettings(String metric, int patience, double minDelta) {
  public static final List<String> METRICS = List.of("validationLoss", "validationAccuracy", "validationRmse");

  public boolean higherIsBetter() {
    return metric.equals("validationAccuracy");
  }
}
