package io.sparkbackprop.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
  /** Rates of order 0.1 after at most a power and a cosine: a few ulps (~1e-17) of rounding. */
  private static final double RATE_TOLERANCE = 1e-15;

  private static void assertRates(LearningRateSchedule s, long[] steps, double[] expected) {
    for (int i = 0; i < steps.length; i++) {
      assertEquals(expected[i], s.rate(steps[i]), RATE_TOLERANCE, "step " + steps[i]);
    }
  }

  @Test
  void constantNeverChanges() {
    assertRates(ScheduleSpec.constant(0.1).create(),
        new long[] {0, 1, 1_000_000}, new double[] {0.1, 0.1, 0.1});
  }

  @Test
  void stepDecaysByGammaEveryStepSizeSteps() {
    // 0.1 · 0.5^floor(t/3)
    assertRates(ScheduleSpec.step(0.1, 3, 0.5).create(),
        new long[] {0, 2, 3, 5, 6, 9}, new double[] {0.1, 0.1, 0.05, 0.05, 0.025, 0.0125});
  }

  @Test
  void exponentialDecaysByGammaEveryStep() {
    // 0.1 · 0.5^t
    assertRates(ScheduleSpec.exponential(0.1, 0.5).create(),
        new long[] {0, 1, 3}, new double[] {0.1, 0.05, 0.0125});
  }

  @Test
  void cosineFallsFromBaseToMinAndStaysThere() {
    // 0.02 + 0.08 (1 + cos(π t/4)) / 2: t=1 → 0.02 + 0.04 (1 + √2/2); t=2 → 0.02 + 0.04 = 0.06
    assertRates(ScheduleSpec.cosine(0.1, 4, 0.02).create(),
        new long[] {0, 1, 2, 4, 6, 101},
        new double[] {0.1, 0.02 + 0.04 * (1 + Math.sqrt(0.5)), 0.06, 0.02, 0.02, 0.02});
  }

  @Test
  void warmupRisesLinearlyToBaseThenHandsOver() {
    // 0.1 · (t+1)/4 for t < 4, then constant 0.1
    assertRates(ScheduleSpec.constant(0.1).withWarmupSteps(4).create(),
        new long[] {0, 1, 2, 3, 4, 50}, new double[] {0.025, 0.05, 0.075, 0.1, 0.1, 0.1});
  }

  @Test
  void warmupShiftsTheInnerScheduleByTheWarmupLength() {
    // warm-up 2: 0.05, 0.1; then step(0.1, 2, 0.5) at t-2: 0.1, 0.1, 0.05, 0.05, 0.025
    assertRates(ScheduleSpec.step(0.1, 2, 0.5).withWarmupSteps(2).create(),
        new long[] {0, 1, 2, 3, 4, 5, 6}, new double[] {0.05, 0.1, 0.1, 0.1, 0.05, 0.05, 0.025});
    // cosine over 4 steps after a warm-up of 2: middle of the cosine at t = 2 + 2
    assertRates(ScheduleSpec.cosine(0.1, 4, 0).withWarmupSteps(2).create(),
        new long[] {1, 2, 4, 6}, new double[] {0.1, 0.1, 0.05, 0.0});
    // exponential(0.1, 0.5) after a warm-up of 1: 0.1, then 0.1, 0.05
    assertRates(ScheduleSpec.exponential(0.1, 0.5).withWarmupSteps(1).create(),
        new long[] {0, 1, 2}, new double[] {0.1, 0.1, 0.05});
  }

  @Test
  void rejectsBadParametersWithExactMessages() {
    assertRejected("baseRate must be > 0, was 0.0", () -> ScheduleSpec.constant(0));
    assertRejected("stepSize must be >= 1, was 0", () -> ScheduleSpec.step(0.1, 0, 0.5));
    assertRejected("gamma must be > 0, was -0.5", () -> ScheduleSpec.exponential(0.1, -0.5));
    assertRejected("gamma must be > 0, was NaN", () -> ScheduleSpec.step(0.1, 2, Double.NaN));
    assertRejected("totalSteps must be >= 1, was 0", () -> ScheduleSpec.cosine(0.1, 0, 0));
    assertRejected("minRate must be >= 0, was -0.01", () -> ScheduleSpec.cosine(0.1, 10, -0.01));
    assertRejected("minRate must be <= baseRate 0.1, was 0.2",
        () -> ScheduleSpec.cosine(0.1, 10, 0.2));
    assertRejected("warmupSteps must be >= 0, was -1",
        () -> ScheduleSpec.constant(0.1).withWarmupSteps(-1));
    assertRejected("step must be >= 0, was -1", () -> ScheduleSpec.constant(0.1).create().rate(-1));
  }

  @Test
  void withBaseRateKeepsTheShape() {
    assertEquals(ScheduleSpec.step(0.2, 3, 0.5).withWarmupSteps(2),
        ScheduleSpec.step(0.1, 3, 0.5).withWarmupSteps(2).withBaseRate(0.2));
  }

  @Test
  void scheduleNamesParseAndUnknownOnesListTheAccepted() {
    for (ScheduleType t : ScheduleType.values()) {
      assertEquals(t, ScheduleType.fromConfigName(t.configName()));
    }
    assertRejected(
        "unknown schedule 'linear', expected one of [constant, step, exponential, cosine]",
        () -> ScheduleType.fromConfigName("linear"));
  }

  private static void assertRejected(String message, Runnable build) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
    assertEquals(message, e.getMessage());
  }
}
