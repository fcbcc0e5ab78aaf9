package io.sparkbackprop.model;

import java.util.Arrays;

/**
 * Standardisation applied to the inputs before the network, one entry per input feature:
 * {@code x' = (x - means[j]) / stds[j]}. Carried as the trainer computed it; this package checks
 * only that both arrays have the same length and finite values (JSON has no NaN or infinity).
 * Immutable: the arrays are copied in and out.
 */
public record Preprocessing(double[] means, double[] stds) implements java.io.Serializable {

  public Preprocessing {
    means = means.clone();
    stds = stds.clone();
    if (means.length != stds.length) {
      throw new IllegalArgumentException("preprocessing.means has " + means.length + " values but stds has "
          + stds.length);
    }
    requireFinite("means", means);
    requireFinite("stds", stds);
  }

  private static void requireFinite(String name, double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException("preprocessing." + name + "[" + i + "] must be finite, was " + values[i]);
      }
    }
  }

  /** Number of input features covered. */
  public int size() {
    return means.length;
  }

  @Override
  public double[] means() {
    return means.clone();
  }

  @Override
  public double[] stds() {
    return stds.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Preprocessing p && Arrays.equals(means, p.means) && Arrays.equals(stds, p.stds);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(means) + Arrays.hashCode(stds);
  }

  @Override
  public String toString() {
    return "Preprocessing[" + means.length + " features]";
  }
}
