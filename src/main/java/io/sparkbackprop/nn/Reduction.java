package io.sparkbackprop.nn;

/**
 * How per-row losses become the training objective, as in PyTorch's {@code reduction}.
 *
 * <p>{@code MEAN}: the mean over rows (and for mse also over output units, like
 * {@code nn.MSELoss}); {@code SUM}: the plain sum, e.g. the sum of squared errors.
 */
public enum Reduction {
  MEAN("mean"),
  SUM("sum");

  private final String configName;

  Reduction(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static Reduction fromConfigName(String name) {
    for (Reduction r : values()) {
      if (r.configName.equals(name)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown loss reduction '" + name + "', expected one of [mean, sum]");
  }

  @Override
  public String toString() {
    return configName;
  }
}
