package io.sparkbackprop.optim;

import java.util.List;

/**
 * An update rule bound to its hyperparameters. Immutable and stateless: everything that changes
 * between steps lives in the {@link OptimizerState} from {@link #init}, which the caller owns, so
 * one optimizer can drive any number of independent states.
 *
 * <p>Typical use: {@code state = optimizer.init(n)}, then per step
 * {@code optimizer.step(params, grad, state, schedule.rate(state.step()))}.
 */
public abstract sealed class Optimizer
    permits SgdOptimizer, AdamOptimizer, RmsPropOptimizer, AdagradOptimizer {

  private final OptimizerSpec spec;

  Optimizer(OptimizerSpec spec) {
    this.spec = spec;
  }

  /** The optimizer for {@code spec.type()}. */
  public static Optimizer create(OptimizerSpec spec) {
    if (spec == null) {
      throw new IllegalArgumentException("spec must be given");
    }
    return switch (spec.type()) {
      case SGD, MOMENTUM, NESTEROV -> new SgdOptimizer(spec);
      case ADAM, ADAMW -> new AdamOptimizer(spec);
      case RMSPROP -> new RmsPropOptimizer(spec);
      case ADAGRAD -> new AdagradOptimizer(spec);
    };
  }

  public final OptimizerSpec spec() {
    return spec;
  }

  /** A fresh state for {@code numParams} parameters: step 0, all buffers zero. */
  public final OptimizerState init(int numParams) {
    Checks.atLeast("numParams", numParams, 0);
    return OptimizerState.zeros(bufferNames(), numParams);
  }

  /**
   * One update of {@code params} in place, advancing {@code state} by one step.
   *
   * <p>Sign convention: {@code grad} is the gradient of the objective being <em>minimised</em>,
   * and parameters move against it (PyTorch's {@code maximize=False}). {@code grad} is read-only:
   * the caller's array is never modified.
   *
   * @param learningRate the rate for this step, usually {@code schedule.rate(state.step())};
   *     {@code spec().learningRate()} is only the base that schedules start from. Zero is allowed
   *     because a cosine schedule may end at a minimum rate of 0.
   * @throws IllegalArgumentException if lengths disagree, the rate is negative or not finite, or
   *     the state was made by a different kind of optimizer
   */
  public final void step(
      double[] params, double[] grad, OptimizerState state, double learningRate) {
    if (grad.length != params.length) {
      throw new IllegalArgumentException(
          "grad length must equal params length " + params.length + ", was " + grad.length);
    }
    Checks.nonNegative("learningRate", learningRate);
    // Bias corrections count steps from 1, as torch's state["step"] after its increment.
    update(params, grad, state, learningRate, state.step() + 1);
    state.advance();
  }

  /** Names of the buffers this optimizer keeps, in storage order. */
  abstract List<String> bufferNames();

  /** The update rule proper; {@code t} is the 1-based number of this step. */
  abstract void update(double[] params, double[] grad, OptimizerState state, double lr, long t);

  /** {@code state.buffer(name)}, checked to be laid out like {@code params}. */
  static double[] buffer(OptimizerState state, String name, double[] params) {
    double[] b = state.buffer(name);
    if (b.length != params.length) {
      throw new IllegalArgumentException("optimizer state buffer '" + name + "' has length "
          + b.length + " but params have " + params.length);
    }
    return b;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + spec + "]";
  }
}
