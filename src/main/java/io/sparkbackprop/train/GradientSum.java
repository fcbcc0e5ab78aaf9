package io.sparkbackprop.train;

import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Reduction;

/**
 * What partitions send back for one step: the summed gradient, the summed per-row loss and the
 * number of rows. The gradient is float64 or, in float32 runs, float32 (half the bytes to send
 * and merge). The gradient array is allocated lazily, so the empty zero value that Spark
 * serialises into every task is a few bytes, not a parameter-sized array.
 */
public final class GradientSum implements java.io.Serializable {
  private static final long serialVersionUID = 2L;
  /** Layout order; null until the first rows are added, or when the sum is float32. */
  double[] gradient;
  /** Layout order; the float32 sum, null until the first rows are added or when float64. */
  float[] gradient32;
  double lossSum;
  long count;

  public GradientSum() {
  }

  /**
   * Adds {@code other} into this one and returns this. Float32 sums are added in float32: a
   * step's tree merges only one partial sum per partition, so the rounding stays at a few ulps.
   */
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
    if (other.gradient32 != null) {
      if (gradient32 == null) {
        gradient32 = other.gradient32;
      } else {
        float[] g = gradient32;
        float[] o = other.gradient32;
        for (int i = 0; i < g.length; i++) {
          g[i] += o[i];
        }
      }
    }
    lossSum += other.lossSum;
    count += other.count;
    return this;
  }

  /**
   * The summed gradient in float64: the sum itself when it is float64, a widened copy when it is
   * float32; null when no rows were added.
   */
  public double[] gradient() {
    if (gradient == null && gradient32 != null) {
      return Precision.toDouble(gradient32);
    }
    return gradient;
  }

  /**
   * The gradient of the step's objective, in float64: the summed gradient divided once by the row
   * count under reduction mean, as is under reduction sum. May return (and scale) the sum's own array.
   */
  public double[] objectiveGradient(Reduction reduction) {
    double[] grad = gradient();
    if (reduction == Reduction.MEAN) {
      double scale = 1.0 / count;
      for (int i = 0; i < grad.length; i++) {
        grad[i] *= scale;
      }
    }
    return grad;
  }

  public double lossSum() {
    return lossSum;
  }

  public long count() {
    return count;
  }
}
