package io.sparkbackprop.optim;

/** Gradient clipping applied to the whole flat gradient, before the optimizer step. */
public final class GradientClipping {
  /** torch's clip_grad_norm_ adds this to the norm so a zero gradient never divides by zero. */
  static final double NORM_EPSILON = 1e-6;

  private GradientClipping() { }

  /**
   * PyTorch's {@code clip_grad_norm_} over one flat gradient: computes the global L2 norm and,
   * when the coefficient {@code maxNorm / (norm + 1e-6)} is below 1, multiplies {@code grad} by
   * it in place. (As in torch, norms within 1e-6 below {@code maxNorm} are therefore scaled by a
   * factor a hair under 1.)
   *
   * <p>A non-finite norm leaves {@code grad} untouched: NaN is returned as is, and an infinite
   * component gives {@code Infinity}; scaling by 0 would turn infinities into NaN and hide where
   * the trouble started. Large finite components do not overflow the norm: the sum of squares is
   * redone on values scaled by the largest magnitude when it overflows.
   *
   * @param maxNorm the largest norm left unscaled; {@code Infinity} never clips
   * @return the norm before clipping
   */
  public static double clipByGlobalNorm(double[] grad, double maxNorm) {
    if (!(maxNorm > 0)) {
      throw new IllegalArgumentException("maxNorm must be > 0, was " + maxNorm);
    }
    double norm = l2Norm(grad);
    if (!Double.isFinite(norm)) {
      return norm;
    }
    double coef = maxNorm / (norm + NORM_EPSILON);
    if (coef < 1) {
      for (int i = 0; i < grad.length; i++) {
        grad[i] *= coef;
      }
    }
    return norm;
  }

  /** Euclidean norm; NaN if any component is NaN, Infinity if any is infinite. */
  static double l2Norm(double[] x) {
    double sumSq = 0;
    for (int i = 0; i < x.length; i++) {
      sumSq += x[i] * x[i];
    }
    if (sumSq != Double.POSITIVE_INFINITY) {
      // Finite or NaN: the plain sum is what torch computes, so keep it.
      return Math.sqrt(sumSq);
    }
    // Overflow, or a genuinely infinite component: rescale by the largest magnitude.
    double max = 0;
    for (int i = 0; i < x.length; i++) {
      max = Math.max(max, Math.abs(x[i]));
    }
    if (max == Double.POSITIVE_INFINITY) {
      return max;
    }
    double scaled = 0;
    for (int i = 0; i < x.length; i++) {
      double r = x[i] / max;
      scaled += r * r;
    }
    return max * Math.sqrt(scaled);
  }
}
