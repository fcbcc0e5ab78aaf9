package io.sparkbackprop.train;

import io.sparkbackprop.config.ScheduleSettings;
import io.sparkbackprop.optim.ScheduleSpec;

/** Turns the epoch-based schedule of the config into the step-based one of the optimizer. */
final class Schedules {
  private Schedules() {
  }

  static ScheduleSpec forRun(ScheduleSettings s, double baseRate, int stepsPerEpoch, int epochs) {
    long warmup = (long) s.warmupEpochs() * stepsPerEpoch;
    return switch (s.type()) {
      case CONSTANT -> ScheduleSpec.constant(baseRate).withWarmupSteps(warmup);
      case STEP -> ScheduleSpec.step(baseRate, (long) s.stepSize() * stepsPerEpoch, s.gamma())
          .withWarmupSteps(warmup);
      // gamma is per epoch; per step that is its stepsPerEpoch-th root.
      case EXPONENTIAL -> ScheduleSpec.exponential(baseRate, Math.pow(s.gamma(), 1.0 / stepsPerEpoch))
          .withWarmupSteps(warmup);
      case COSINE -> ScheduleSpec.cosine(baseRate,
          Math.max(1, (long) epochs * stepsPerEpoch - warmup), s.minLearningRate())
          .withWarmupSteps(warmup);
    };
  }
}
