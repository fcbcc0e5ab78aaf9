package io.sparkbackprop.optim;

import java.util.List;

/**
 * PyTorch {@code RMSprop}, not centered and without momentum.
 *
 * <pre>
 * g' = g + wd θ;   v = α v + (1-α) g'²;   θ -= lr g' / (sqrt(v) + ε)
 * </pre>
 *
 * <p>Unlike Adam there is no bias correction, so the first steps are larger than lr (v starts at
 * 0 and is only (1-α) g'² after one step).
 */
final class RmsPropOptimizer extends Optimizer {
  static final String SQUARE_AVG = "squareAvg";

  private final double alpha;
  private final double eps;
  private final double wd;

  RmsPropOptimizer(OptimizerSpec spec) {
    super(spec);
    alpha = spec.alpha();
    eps = spec.epsilon();
    wd = spec.weightDecay();
  }

  @Override
  List<String> bufferNames() {
    return List.of(SQUARE_AVG);
  }

  @Override
  void update(double[] params, double[] grad, OptimizerState state, double lr, long t) {
    double[] v = buffer(state, SQUARE_AVG, params);
    final int n = params.length;
    for (int i = 0; i < n; i++) {
      double g = grad[i] + wd * params[i];
      double vi = alpha * v[i] + (1 - alpha) * g * g;
      v[i] = vi;
      params[i] -= lr * (g / (Math.sqrt(vi) + eps));
    }
  }
}
