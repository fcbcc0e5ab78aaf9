package io.sparkbackprop.optim;

import java.util.List;

/**
 * PyTorch {@code Adam} (no amsgrad) and {@code AdamW}.
 *
 * <pre>
 * adam:   g' = g + wd θ
 * adamw:  θ *= 1 - lr wd, then g' = g          (decay decoupled from the gradient statistics)
 * m = β1 m + (1-β1) g';   v = β2 v + (1-β2) g'²
 * θ -= lr m̂ / (sqrt(v̂) + ε),   m̂ = m / (1-β1^t),   v̂ = v / (1-β2^t)
 * </pre>
 */
final class AdamOptimizer extends Optimizer {
  static final String EXP_AVG = "expAvg";
  static final String EXP_AVG_SQ = "expAvgSq";

  private final boolean decoupled;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double wd;

  AdamOptimizer(OptimizerSpec spec) {
    super(spec);
    decoupled = spec.type() == OptimizerType.ADAMW;
    beta1 = spec.beta1();
    beta2 = spec.beta2();
    eps = spec.epsilon();
    wd = spec.weightDecay();
  }

  @Override
  List<String> bufferNames() {
    return List.of(EXP_AVG, EXP_AVG_SQ);
  }

  @Override
  void update(double[] params, double[] grad, OptimizerState state, double lr, long t) {
    double[] m = buffer(state, EXP_AVG, params);
    double[] v = buffer(state, EXP_AVG_SQ, params);
    // Bias corrections are folded into two scalars the way torch's single-tensor Adam does
    // (step_size = lr / bc1, denom = sqrt(v) / sqrt(bc2) + eps), so a trajectory recorded with
    // torch can be compared closely; ε is therefore added after the correction, as torch does.
    final double stepSize = lr / (1 - Math.pow(beta1, t));
    final double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
    final double decay = 1 - lr * wd;
    final double l2 = decoupled ? 0.0 : wd;
    final int n = params.length;
    for (int i = 0; i < n; i++) {
      if (decoupled) {
        params[i] *= decay;
      }
      double g = grad[i] + l2 * params[i];
      double mi = beta1 * m[i] + (1 - beta1) * g;
      double vi = beta2 * v[i] + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] -= stepSize * (mi / (Math.sqrt(vi) / bc2Sqrt + eps));
    }
  }
}
