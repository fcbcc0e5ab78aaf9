package io.sparkbackprop.optim;

import java.util.List;

/**
 * PyTorch {@code SGD} with dampening 0: plain (sgd), heavy-ball (momentum) and Nesterov.
 *
 * <pre>
 * g' = g + wd θ
 * sgd:       θ -= lr g'
 * momentum:  b = g' on the first step, else μ b + g';  θ -= lr b
 * nesterov:  same b;                                   θ -= lr (g' + μ b)
 * </pre>
 */
final class SgdOptimizer extends Optimizer {
  static final String MOMENTUM_BUFFER = "momentumBuffer";

  private final boolean heavyBall;
  private final boolean nesterov;
  private final double mu;
  private final double wd;

  SgdOptimizer(OptimizerSpec spec) {
    super(spec);
    nesterov = spec.type() == OptimizerType.NESTEROV;
    heavyBall = nesterov || spec.type() == OptimizerType.MOMENTUM;
    mu = spec.momentum();
    wd = spec.weightDecay();
  }

  @Override
  List<String> bufferNames() {
    return heavyBall ? List.of(MOMENTUM_BUFFER) : List.of();
  }

  @Override
  void update(double[] params, double[] grad, OptimizerState state, double lr, long t) {
    final int n = params.length;
    if (!heavyBall) {
      for (int i = 0; i < n; i++) {
        params[i] -= lr * (grad[i] + wd * params[i]);
      }
      return;
    }
    double[] b = buffer(state, MOMENTUM_BUFFER, params);
    // torch sets b = g' on the first step. The buffer of a fresh state (step 0) is zero and
    // dampening is 0, so μ·0 + g' is exactly g' and no first-step branch is needed; with
    // dampening it would be, and state.step() == 0 is what would tell.
    for (int i = 0; i < n; i++) {
      double g = grad[i] + wd * params[i];
      double bi = mu * b[i] + g;
      b[i] = bi;
      params[i] -= lr * (nesterov ? g + mu * bi : bi);
    }
  }
}
