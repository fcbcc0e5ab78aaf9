package io.sparkbackprop.optim;

import java.util.List;

/**
 * PyTorch {@code Adagrad} with lr_decay 0 and initial_accumulator_value 0.
 *
 * <pre>
 * g' = g + wd θ;   s += g'²;   θ -= lr g' / (sqrt(s) + ε)
 * </pre>
 *
 * <p>The effective rate only shrinks as s grows, which is why Adagrad needs a larger base rate
 * than the others to make progress late in training.
 */
final class AdagradOptimizer extends Optimizer {
  static final String SUM = "sum";

  private final double eps;
  private final double wd;

  AdagradOptimizer(OptimizerSpec spec) {
    super(spec);
    eps = spec.epsilon();
    wd = spec.weightDecay();
  }

  @Override
  List<String> bufferNames() {
    return List.of(SUM);
  }

  @Override
  void update(double[] params, double[] grad, OptimizerState state, double lr, long t) {
    double[] s = buffer(state, SUM, params);
    final int n = params.length;
    for (int i = 0; i < n; i++) {
      double g = grad[i] + wd * params[i];
      double si = s[i] + g * g;
      s[i] = si;
      params[i] -= lr * (g / (Math.sqrt(si) + eps));
    }
  }
}
