package io.sparkbackprop.optim;

/**
 * Immutable hyperparameters of one optimizer. Fields a type does not use are carried but
 * ignored (e.g. {@code beta1} for sgd), so a config layer can start from {@link #defaults} and
 * override only what the user wrote, with the {@code with*} methods.
 *
 * @param type which update rule
 * @param learningRate base rate; the rate actually used is passed to every
 *     {@link Optimizer#step} (it comes from a schedule), and schedules start from this one
 * @param momentum μ of momentum and nesterov
 * @param beta1 Adam's decay of the first-moment average
 * @param beta2 Adam's decay of the second-moment average
 * @param epsilon added to the denominator of adam, adamw, rmsprop and adagrad
 * @param weightDecay L2 penalty added to the gradient, except for adamw where it is decoupled
 * @param alpha RMSprop's smoothing constant
 */
public record OptimizerSpec(
    OptimizerType type,
    double learningRate,
    double momentum,
    double beta1,
    double beta2,
    double epsilon,
    double weightDecay,
    double alpha) {

  public OptimizerSpec {
    if (type == null) {
      throw new IllegalArgumentException("type must be given");
    }
    Checks.positive("learningRate", learningRate);
    Checks.unitInterval("momentum", momentum);
    Checks.unitInterval("beta1", beta1);
    Checks.unitInterval("beta2", beta2);
    Checks.nonNegative("epsilon", epsilon);
    Checks.nonNegative("weightDecay", weightDecay);
    Checks.unitInterval("alpha", alpha);
    if (type == OptimizerType.NESTEROV && momentum == 0) {
      // PyTorch raises the same: with μ = 0 the look-ahead is meaningless.
      throw new IllegalArgumentException("nesterov needs momentum > 0, was " + momentum);
    }
    if (type == OptimizerType.SGD && momentum != 0) {
      // In PyTorch "SGD with momentum 0.9" means heavy-ball; silently ignoring it here would
      // train a different model than the user asked for.
      throw new IllegalArgumentException(
          "sgd has no momentum (use 'momentum' or 'nesterov'), was " + momentum);
    }
  }

  /**
   * PyTorch's defaults for {@code type}: the one place they are written. The learning rate of
   * torch's SGD is required, not defaulted; 0.01 is what its RMSprop and Adagrad use.
   */
  public static OptimizerSpec defaults(OptimizerType type) {
    if (type == null) {
      throw new IllegalArgumentException("type must be given");
    }
    boolean adam = type == OptimizerType.ADAM || type == OptimizerType.ADAMW;
    boolean heavyBall = type == OptimizerType.MOMENTUM || type == OptimizerType.NESTEROV;
    return new OptimizerSpec(
        type,
        adam ? 0.001 : 0.01,
        heavyBall ? 0.9 : 0.0,
        0.9,
        0.999,
        type == OptimizerType.ADAGRAD ? 1e-10 : 1e-8,
        type == OptimizerType.ADAMW ? 0.01 : 0.0,
        0.99);
  }

  public OptimizerSpec withLearningRate(double learningRate) {
    return new OptimizerSpec(
        type, learningRate, momentum, beta1, beta2, epsilon, weightDecay, alpha);
  }

  public OptimizerSpec withMomentum(double momentum) {
    return new OptimizerSpec(
        type, learningRate, momentum, beta1, beta2, epsilon, weightDecay, alpha);
  }

  public OptimizerSpec withBeta1(double beta1) {
    return new OptimizerSpec(
        type, learningRate, momentum, beta1, beta2, epsilon, weightDecay, alpha);
  }

  public OptimizerSpec withBeta2(double beta2) {
    return new OptimizerSpec(
        type, learningRate, momentum, beta1, beta2, epsilon, weightDecay, alpha);
  }

  public OptimizerSpec withEpsilon(double epsilon) {
    return new OptimizerSpec(
        type, learningRate, momentum, beta1, beta2, epsilon, weightDecay, alpha);
  }

  public OptimizerSpec withWeightDecay(double weightDecay) {
    return new OptimizerSpec(
        type, learningRate, momentum, beta1, beta2, epsilon, weightDecay, alpha);
  }

  public OptimizerSpec withAlpha(double alpha) {
    return new OptimizerSpec(
        type, learningRate, momentum, beta1, beta2, epsilon, weightDecay, alpha);
  }
}
