package io.sparkbackprop.train;

/**
 * What partitions send back for one step: the summed gradient, the summed per-row loss and the
 * number of rows. The gradient array is allocated lazily, so the empty zero value that Spark
 * serialises into every task is a few bytes, not a parameter-sized array.
 */
public final class GradientSum implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  /** Layout order; null until the first rows are added. */
  double[] gradient;
  double lossSum;
  long count;

  public GradientSum() {
  }

  /** Adds {@code other} into this one and returns this. */
  public GradientSum merge(GradientSum other) {
    if (other.gradient != null) {
      if (gradient == null) {
        gradient = other.gradient;
      } else {
        double[] g = gradient;
        double[] o = other.gradient;
        for (int i = 0; i < g.length; i++) {
          g[i] += o[i];
        }
      }
    }
    lossSum += other.lossSum;
    count += other.count;
    return this;
  }

  public double[] gradient() {
    return gradient;
  }

  public double lossSum() {
    return lossSum;
  }

  public long count() {
    return count;
  }
}
