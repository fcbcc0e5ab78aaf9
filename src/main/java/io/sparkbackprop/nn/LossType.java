package io.sparkbackprop.nn;

import java.util.Arrays;

/**
 * Training losses, each fused with the output layer so the error term is simple and stable.
 *
 * <p>Labels are one number per row: a class index {@code 0..K-1} for crossEntropy, a 0/1 target
 * for binaryCrossEntropy, and for mse the target itself when the output has one unit, else a class
 * index turned into a one-hot target.
 *
 * <ul>
 *   <li>{@code mse}: any output activation; per-row loss {@code sum_j (a_j - t_j)^2}, divided by
 *       the number of outputs under reduction mean (as {@code nn.MSELoss} averages every element).
 *   <li>{@code crossEntropy}: output activation softmax; per-row loss {@code logsumexp(z) - z_y}
 *       from the logits {@code z}, so extreme logits give a finite loss; {@code dL/dz = a - onehot}.
 *   <li>{@code binaryCrossEntropy}: output activation sigmoid, one unit; per-row loss
 *       {@code max(z,0) - z*y + log1p(exp(-|z|))}, as {@code BCEWithLogitsLoss}; {@code dL/dz = a - y}.
 * </ul>
 */
public enum LossType {
  MSE("mse"),
  CROSS_ENTROPY("crossEntropy"),
  BINARY_CROSS_ENTROPY("binaryCrossEntropy");

  private final String configName;

  LossType(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static LossType fromConfigName(String name) {
    for (LossType t : values()) {
      if (t.configName.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown loss '" + name + "', expected one of "
        + Arrays.toString(Arrays.stream(values()).map(LossType::configName).toArray()));
  }

  /** True for the losses whose labels are classes. */
  public boolean isClassification() {
    return this != MSE;
  }

  /**
   * Whether a network with this loss and {@code outputUnits} outputs is a classifier: the
   * cross-entropies always, mse when it has several outputs (one-hot targets of a class index).
   * The one rule for training labels, accuracy figures and scoring.
   */
  public boolean classifies(int outputUnits) {
    return isClassification() || outputUnits > 1;
  }

  /**
   * Why this loss cannot sit on the given output layer, or null when it can. crossEntropy needs
   * softmax; binaryCrossEntropy needs one sigmoid unit.
   */
  public String incompatibility(LayerSpec output) {
    return switch (this) {
      case MSE -> null;
      case CROSS_ENTROPY -> output.activation() != Activation.SOFTMAX
          ? "loss crossEntropy needs the last layer's activation to be softmax, was " + output.activation()
          : output.units() < 2 ? "loss crossEntropy needs at least 2 output units, was " + output.units() : null;
      case BINARY_CROSS_ENTROPY -> output.activation() != Activation.SIGMOID
          ? "loss binaryCrossEntropy needs the last layer's activation to be sigmoid, was " + output.activation()
          : output.units() != 1 ? "loss binaryCrossEntropy needs 1 output unit, was " + output.units() : null;
    };
  }

  /**
   * Per-row loss of one row and the error term {@code dL/dz} written into {@code dz}.
   *
   * @param z pre-activations of the output layer, {@code units} values at {@code off}
   * @param a activations of the output layer at the same offsets
   * @param act the output activation (for mse, whose error goes back through it)
   * @param dz receives {@code dL/dz} for this row's loss (before division by the row count)
   */
  double rowLossAndDelta(double[] z, double[] a, double[] dz, int off, int units, double label,
      Activation act, Reduction reduction) {
    switch (this) {
      case MSE -> {
        double scale = reduction == Reduction.MEAN ? 1.0 / units : 1.0;
        double loss = 0;
        int cls = units == 1 ? -1 : classIndex(label, units);
        for (int j = 0; j < units; j++) {
          double t = units == 1 ? label : (j == cls ? 1.0 : 0.0);
          double e = a[off + j] - t;
          loss += e * e;
          dz[off + j] = 2.0 * e * scale;
        }
        act.backward(a, dz, off, 1, units);
        return loss * scale;
      }
      case CROSS_ENTROPY -> {
        int y = classIndex(label, units);
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < units; j++) {
          max = Math.max(max, z[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < units; j++) {
          sum += Math.exp(z[off + j] - max);
        }
        for (int j = 0; j < units; j++) {
          dz[off + j] = a[off + j] - (j == y ? 1.0 : 0.0);
        }
        return max + Math.log(sum) - z[off + y];
      }
      case BINARY_CROSS_ENTROPY -> {
        double x = z[off];
        dz[off] = a[off] - label;
        return Math.max(x, 0) - x * label + Math.log1p(Math.exp(-Math.abs(x)));
      }
      default -> throw new AssertionError(this);
    }
  }

  private static int classIndex(double label, int units) {
    int y = (int) label;
    if (y != label || y < 0 || y >= units) {
      throw new IllegalArgumentException("label must be a class index in 0.." + (units - 1) + ", was " + label);
    }
    return y;
  }

  @Override
  public String toString() {
    return configName;
  }
}
