package io.sparkbackprop.optim;

/**
 * Immutable description of a learning-rate schedule, in optimizer steps {@code t} (0-based).
 * Shapes follow PyTorch's {@code lr_scheduler} closed forms:
 *
 * <pre>
 * constant:     base
 * step:         base · gamma^floor(t / stepSize)                       (StepLR)
 * exponential:  base · gamma^t                                         (ExponentialLR)
 * cosine:       minRate + (base - minRate) (1 + cos(π min(t, totalSteps) / totalSteps)) / 2
 * </pre>
 *
 * <p>Cosine stays at {@code minRate} after {@code totalSteps}, where torch's CosineAnnealingLR
 * would start rising again. When {@code warmupSteps > 0} a linear warm-up wraps any shape: for
 * {@code t < warmupSteps} the rate is {@code base · (t + 1) / warmupSteps} (so it reaches base on
 * the last warm-up step), and from then on the shape above is evaluated at
 * {@code t - warmupSteps}. Hence {@code totalSteps} counts the cosine phase only; to end a run
 * of N steps at minRate pass {@code N - warmupSteps}.
 *
 * <p>Fields a shape does not use are ignored; the factories set them to neutral values.
 *
 * @param baseRate the peak rate, normally the optimizer's {@link OptimizerSpec#learningRate()}
 * @param stepSize steps between decays of {@code step}, at least 1
 * @param gamma decay factor of {@code step} and {@code exponential}, > 0
 * @param totalSteps length of the cosine phase, at least 1
 * @param minRate where cosine ends, in [0, baseRate]
 * @param warmupSteps length of the linear warm-up, 0 for none
 */
public record ScheduleSpec(
    ScheduleType type,
    double baseRate,
    long stepSize,
    double gamma,
    long totalSteps,
    double minRate,
    long warmupSteps) {

  private static final long UNUSED_STEP_SIZE = 1;
  private static final double UNUSED_GAMMA = 1.0;
  private static final long UNUSED_TOTAL_STEPS = 1;
  private static final double UNUSED_MIN_RATE = 0.0;

  public ScheduleSpec {
    if (type == null) {
      throw new IllegalArgumentException("type must be given");
    }
    Checks.positive("baseRate", baseRate);
    Checks.atLeast("stepSize", stepSize, 1);
    Checks.positive("gamma", gamma);
    Checks.atLeast("totalSteps", totalSteps, 1);
    Checks.nonNegative("minRate", minRate);
    if (minRate > baseRate) {
      throw new IllegalArgumentException(
          "minRate must be <= baseRate " + baseRate + ", was " + minRate);
    }
    Checks.atLeast("warmupSteps", warmupSteps, 0);
  }

  public static ScheduleSpec constant(double baseRate) {
    return new ScheduleSpec(ScheduleType.CONSTANT, baseRate, UNUSED_STEP_SIZE, UNUSED_GAMMA,
        UNUSED_TOTAL_STEPS, UNUSED_MIN_RATE, 0);
  }

  public static ScheduleSpec step(double baseRate, long stepSize, double gamma) {
    return new ScheduleSpec(ScheduleType.STEP, baseRate, stepSize, gamma,
        UNUSED_TOTAL_STEPS, UNUSED_MIN_RATE, 0);
  }

  public static ScheduleSpec exponential(double baseRate, double gamma) {
    return new ScheduleSpec(ScheduleType.EXPONENTIAL, baseRate, UNUSED_STEP_SIZE, gamma,
        UNUSED_TOTAL_STEPS, UNUSED_MIN_RATE, 0);
  }

  public static ScheduleSpec cosine(double baseRate, long totalSteps, double minRate) {
    return new ScheduleSpec(ScheduleType.COSINE, baseRate, UNUSED_STEP_SIZE, UNUSED_GAMMA,
        totalSteps, minRate, 0);
  }

  public ScheduleSpec withBaseRate(double baseRate) {
    return new ScheduleSpec(type, baseRate, stepSize, gamma, totalSteps, minRate, warmupSteps);
  }

  public ScheduleSpec withWarmupSteps(long warmupSteps) {
    return new ScheduleSpec(type, baseRate, stepSize, gamma, totalSteps, minRate, warmupSteps);
  }

  /** The schedule this spec describes. */
  public LearningRateSchedule create() {
    return this::rateAt;
  }

  private double rateAt(long t) {
    Checks.atLeast("step", t, 0);
    if (t < warmupSteps) {
      return baseRate * (t + 1) / warmupSteps;
    }
    long s = t - warmupSteps;
    return switch (type) {
      case CONSTANT -> baseRate;
      case STEP -> baseRate * Math.pow(gamma, s / stepSize);
      case EXPONENTIAL -> baseRate * Math.pow(gamma, s);
      case COSINE -> {
        long capped = Math.min(s, totalSteps);
        yield minRate + (baseRate - minRate) * (1 + Math.cos(Math.PI * capped / totalSteps)) / 2;
      }
    };
  }
}
