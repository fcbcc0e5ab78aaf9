package io.sparkbackprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every optimizer meets, run over all of them. Convergence runs use weight decay 0:
 * decay moves the minimiser, and here the question is whether the optimizer finds the minimum
 * of the objective it is given. Every other hyperparameter is the PyTorch default.
 */
class OptimizerContractTest {
  /**
   * Distance to the parabola's minimum after {@link #PARABOLA_STEPS}. Every case measured at
   * 1e-11 or less, so this leaves room for platform differences while still failing an optimizer
   * that only hovers near the minimum.
   */
  private static final double PARABOLA_TOLERANCE = 1e-8;
  private static final int PARABOLA_STEPS = 1000;
  /**
   * Distance to Rosenbrock's minimum (1, 1). The valley floor is nearly flat, so distance is the
   * strict measure (f itself is ~1e-8 already at distance 1e-4). Every case below measured at
   * 1e-6 or less.
   */
  private static final double ROSENBROCK_TOLERANCE = 1e-4;

  /**
   * One optimizer's settings for the convergence runs. Learning rates are each type's usual
   * scale (the largest round value that is stable on the problem) and were checked to converge,
   * not tuned to the last digit. Rosenbrock from (-1.2, 1): SGD lr 1e-3 must crawl along the
   * curved valley (50k steps); momentum and nesterov need 5k; Adam 0.02 needs 5k. Adagrad's
   * shrinking rate needs a large base (0.3) and 20k steps. RMSprop normalises its step to ~lr
   * whatever the gradient, so at a constant rate it circles the minimum at distance ~lr
   * (measured 9e-4 at lr 1e-3); it gets a cosine decay to 0, which lets it settle (2e-7).
   */
  record Case(OptimizerType type, double parabolaLr, double rosenbrockLr, int rosenbrockSteps,
      boolean rosenbrockCosine) {
    @Override
    public String toString() {
      return type.configName();
    }

    Optimizer optimizer() {
      return Optimizer.create(OptimizerSpec.defaults(type).withWeightDecay(0));
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(OptimizerType.SGD, 0.03, 1e-3, 50_000, false),
        new Case(OptimizerType.MOMENTUM, 0.01, 1e-3, 5_000, false),
        new Case(OptimizerType.NESTEROV, 0.01, 1e-3, 5_000, false),
        new Case(OptimizerType.ADAM, 0.1, 0.02, 5_000, false),
        new Case(OptimizerType.ADAMW, 0.1, 0.02, 5_000, false),
        new Case(OptimizerType.RMSPROP, 0.03, 1e-3, 20_000, true),
        new Case(OptimizerType.ADAGRAD, 0.3, 0.3, 20_000, false));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(OptimizerType.class)
  void everyTypeHasAContractCase(OptimizerType type) {
    assertTrue(cases().anyMatch(c -> c.type() == type), "no contract case for " + type);
  }

  /** f = (x - 3)² + 10 (y + 2)²: different curvatures per axis, minimum at (3, -2). */
  private static void parabolaGradient(double[] p, double[] g) {
    g[0] = 2 * (p[0] - 3);
    g[1] = 20 * (p[1] + 2);
  }

  /** f = (1 - x)² + 100 (y - x²)², minimum at (1, 1). */
  private static void rosenbrockGradient(double[] p, double[] g) {
    double x = p[0];
    double y = p[1];
    g[0] = -2 * (1 - x) - 400 * x * (y - x * x);
    g[1] = 200 * (y - x * x);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void convergesOnParabola(Case c) {
    Optimizer opt = c.optimizer();
    OptimizerState state = opt.init(2);
    double[] p = {0.0, 0.0};
    double[] g = new double[2];
    for (int k = 0; k < PARABOLA_STEPS; k++) {
      parabolaGradient(p, g);
      opt.step(p, g, state, c.parabolaLr());
    }
    double distance = Math.hypot(p[0] - 3, p[1] + 2);
    assertTrue(distance < PARABOLA_TOLERANCE, "ended at " + Arrays.toString(p));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void convergesOnRosenbrock(Case c) {
    Optimizer opt = c.optimizer();
    LearningRateSchedule schedule = c.rosenbrockCosine()
        ? ScheduleSpec.cosine(c.rosenbrockLr(), c.rosenbrockSteps(), 0).create()
        : ScheduleSpec.constant(c.rosenbrockLr()).create();
    OptimizerState state = opt.init(2);
    double[] p = {-1.2, 1.0};
    double[] g = new double[2];
    for (int k = 0; k < c.rosenbrockSteps(); k++) {
      rosenbrockGradient(p, g);
      opt.step(p, g, state, schedule.rate(state.step()));
    }
    double distance = Math.hypot(p[0] - 1, p[1] - 1);
    assertTrue(distance < ROSENBROCK_TOLERANCE, "ended at " + Arrays.toString(p));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(OptimizerType.class)
  void rejectsBadHyperparametersWithExactMessages(OptimizerType type) {
    OptimizerSpec d = OptimizerSpec.defaults(type);
    assertRejected("learningRate must be > 0, was -0.1", () -> d.withLearningRate(-0.1));
    assertRejected("learningRate must be > 0, was NaN", () -> d.withLearningRate(Double.NaN));
    assertRejected("momentum must be in [0, 1), was 1.5", () -> d.withMomentum(1.5));
    assertRejected("beta1 must be in [0, 1), was 1.0", () -> d.withBeta1(1.0));
    assertRejected("beta2 must be in [0, 1), was -0.5", () -> d.withBeta2(-0.5));
    assertRejected("epsilon must be >= 0, was -1.0E-8", () -> d.withEpsilon(-1e-8));
    assertRejected("weightDecay must be >= 0, was -0.01", () -> d.withWeightDecay(-0.01));
    assertRejected("alpha must be in [0, 1), was NaN", () -> d.withAlpha(Double.NaN));
  }

  private static void assertRejected(String message, Runnable build) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
    assertEquals(message, e.getMessage());
  }

  /** Decay on, so AdamW's decoupled path and every coupled one is part of what must resume. */
  private static Optimizer withDecay(Case c) {
    return Optimizer.create(OptimizerSpec.defaults(c.type()).withWeightDecay(0.01));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void stateSurvivesSaveLoadRoundTripBitForBit(Case c) throws IOException {
    Optimizer opt = withDecay(c);
    final int before = 7;
    final int after = 13;
    double[] straight = {-1.2, 1.0};
    OptimizerState straightState = opt.init(2);
    run(opt, straight, straightState, c.rosenbrockLr(), before + after);

    double[] resumed = {-1.2, 1.0};
    OptimizerState saved = opt.init(2);
    run(opt, resumed, saved, c.rosenbrockLr(), before);
    OptimizerState restored = roundTrip(saved);
    assertEquals(saved, restored);
    run(opt, resumed, restored, c.rosenbrockLr(), after);

    // assertArrayEquals on double[] compares bit patterns: no tolerance on purpose.
    assertArrayEquals(straight, resumed);
    assertEquals(straightState, restored);
  }

  private static void run(Optimizer opt, double[] p, OptimizerState state, double lr, int steps) {
    double[] g = new double[p.length];
    for (int k = 0; k < steps; k++) {
      rosenbrockGradient(p, g);
      opt.step(p, g, state, lr);
    }
  }

  static OptimizerState roundTrip(OptimizerState state) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      state.writeTo(out);
    }
    byte[] written = bytes.toByteArray();
    return OptimizerState.readFrom(new DataInputStream(new ByteArrayInputStream(written)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void copyOfInitialStateIsIndependent(Case c) {
    Optimizer opt = c.optimizer();
    OptimizerState state = opt.init(2);
    OptimizerState copy = state.copy();
    assertEquals(state, copy);
    run(opt, new double[] {-1.2, 1.0}, state, c.rosenbrockLr(), 3);
    assertNotEquals(state, copy);
    assertEquals(opt.init(2), copy, "the copy must still be a fresh state");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void leavesTheGradientArrayUntouched(Case c) {
    Optimizer opt = withDecay(c);
    OptimizerState state = opt.init(2);
    double[] p = {-1.2, 1.0};
    double[] g = {0.5, -0.25};
    for (int k = 0; k < 3; k++) {
      opt.step(p, g, state, c.rosenbrockLr());
    }
    assertArrayEquals(new double[] {0.5, -0.25}, g);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rejectsMismatchedLengthsAndBadRates(Case c) {
    Optimizer opt = c.optimizer();
    OptimizerState state = opt.init(2);
    assertRejected("grad length must equal params length 2, was 3",
        () -> opt.step(new double[2], new double[3], state, 0.1));
    assertRejected("learningRate must be >= 0, was -0.5",
        () -> opt.step(new double[2], new double[2], state, -0.5));
    assertRejected("learningRate must be finite, was Infinity",
        () -> opt.step(new double[2], new double[2], state, Double.POSITIVE_INFINITY));
    assertEquals(0, state.step(), "a rejected step must not advance the state");
  }
}
