package io.sparkbackprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Relations between optimizers that must hold exactly, or to a few ulps where stated. */
class OptimizerEquivalenceTest {
  /**
   * Adam (β1 = 0, ε = 0) and RMSprop at lr·sqrt(1-β2^t) compute the same quotient in a different
   * order (lr·g / (sqrt(v)/c) against (lr·c)·g / sqrt(v)), so they agree to a few ulps per step
   * on values of order 1, not bitwise; 1e-13 is ~500 ulps after all steps.
   */
  private static final double REORDERED_ARITHMETIC_TOLERANCE = 1e-13;
  /** Step sizes compared below are ~1e-2; θ rounding to ~1e-16 each step shows up in them. */
  private static final double STEP_DIFFERENCE_TOLERANCE = 1e-14;

  private static final int STEPS = 6;

  /** A gradient sequence independent of θ, with both signs and varied magnitudes. */
  private static double[] gradient(int k) {
    return new double[] {Math.sin(k + 1.0), 0.5 + 0.25 * k, -3.0 / (k + 1)};
  }

  @Test
  void momentumWithMuZeroEqualsSgdBitForBit() {
    OptimizerSpec sgd = OptimizerSpec.defaults(OptimizerType.SGD).withWeightDecay(0.1);
    OptimizerSpec heavyBall = OptimizerSpec.defaults(OptimizerType.MOMENTUM)
        .withMomentum(0).withWeightDecay(0.1);
    double[][] ends = runBoth(sgd, 0.05, heavyBall, 0.05);
    assertArrayEquals(ends[0], ends[1]);
  }

  @Test
  void nesterovUnderConstantGradientTakesMomentumsNextStep() {
    // With constant g, momentum's buffer is b_t = g (1 + μ + ... + μ^(t-1)), and nesterov steps
    // along g + μ b_t = b_(t+1): it is always one step ahead. The buffers themselves match.
    Optimizer momentum = Optimizer.create(OptimizerSpec.defaults(OptimizerType.MOMENTUM));
    Optimizer nesterov = Optimizer.create(OptimizerSpec.defaults(OptimizerType.NESTEROV));
    OptimizerState ms = momentum.init(1);
    OptimizerState ns = nesterov.init(1);
    final double lr = 0.01;
    double[] g = {1.0};
    double[] mp = {0.0};
    double[] np = {0.0};
    double[] momentumSteps = new double[STEPS + 1];
    double[] nesterovSteps = new double[STEPS];
    for (int t = 0; t <= STEPS; t++) {
      double before = mp[0];
      momentum.step(mp, g, ms, lr);
      momentumSteps[t] = mp[0] - before;
      if (t < STEPS) {
        before = np[0];
        nesterov.step(np, g, ns, lr);
        nesterovSteps[t] = np[0] - before;
        assertArrayEquals(ms.buffer("momentumBuffer"), ns.buffer("momentumBuffer"));
      }
    }
    for (int t = 0; t < STEPS; t++) {
      assertEquals(momentumSteps[t + 1], nesterovSteps[t], STEP_DIFFERENCE_TOLERANCE, "step " + t);
      assertNotEquals(momentumSteps[t], nesterovSteps[t], "step " + t);
    }
  }

  @Test
  void adamWithBeta1ZeroIsRmspropWithBiasCorrectedRate() {
    final double beta2 = 0.9;
    final double lr = 0.01;
    Optimizer adam = Optimizer.create(OptimizerSpec.defaults(OptimizerType.ADAM)
        .withBeta1(0).withBeta2(beta2).withEpsilon(0));
    Optimizer rmsprop = Optimizer.create(OptimizerSpec.defaults(OptimizerType.RMSPROP)
        .withAlpha(beta2).withEpsilon(0));
    OptimizerState as = adam.init(3);
    OptimizerState rs = rmsprop.init(3);
    double[] ap = {1.0, -2.0, 0.5};
    double[] rp = ap.clone();
    for (int k = 0; k < STEPS; k++) {
      long t = k + 1;
      adam.step(ap, gradient(k), as, lr);
      rmsprop.step(rp, gradient(k), rs, lr * Math.sqrt(1 - Math.pow(beta2, t)));
      assertArrayEquals(ap, rp, REORDERED_ARITHMETIC_TOLERANCE, "step " + t);
      // Same recurrence, same expression: the second moments agree exactly.
      assertArrayEquals(as.buffer("expAvgSq"), rs.buffer("squareAvg"));
    }
  }

  @Test
  void adamwWithoutDecayEqualsAdamBitForBit() {
    OptimizerSpec adam = OptimizerSpec.defaults(OptimizerType.ADAM);
    OptimizerSpec adamw = OptimizerSpec.defaults(OptimizerType.ADAMW).withWeightDecay(0);
    double[][] ends = runBoth(adam, 0.01, adamw, 0.01);
    assertArrayEquals(ends[0], ends[1]);
  }

  @Test
  void adamwEqualsShrinkingParametersThenAdamWithoutDecay() {
    final double lr = 0.01;
    final double wd = 0.3;
    Optimizer adamw = Optimizer.create(
        OptimizerSpec.defaults(OptimizerType.ADAMW).withWeightDecay(wd));
    Optimizer adam = Optimizer.create(OptimizerSpec.defaults(OptimizerType.ADAM));
    OptimizerState ws = adamw.init(3);
    OptimizerState as = adam.init(3);
    double[] wp = {1.0, -2.0, 0.5};
    double[] ap = wp.clone();
    for (int k = 0; k < STEPS; k++) {
      adamw.step(wp, gradient(k), ws, lr);
      for (int i = 0; i < ap.length; i++) {
        ap[i] *= 1 - lr * wd;
      }
      adam.step(ap, gradient(k), as, lr);
    }
    assertArrayEquals(ap, wp);
    assertEquals(as, ws);
  }

  /** Every type but adamw adds wd·θ to the gradient, i.e. optimizes f + wd/2 |θ|². */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = OptimizerType.class, names = "ADAMW", mode = EnumSource.Mode.EXCLUDE)
  void coupledWeightDecayEqualsAddingDecayTimesParamsToGradient(OptimizerType type) {
    final double lr = 0.01;
    final double wd = 0.3;
    Optimizer decayed = Optimizer.create(OptimizerSpec.defaults(type).withWeightDecay(wd));
    Optimizer plain = Optimizer.create(OptimizerSpec.defaults(type).withWeightDecay(0));
    OptimizerState ds = decayed.init(3);
    OptimizerState ps = plain.init(3);
    double[] dp = {1.0, -2.0, 0.5};
    double[] pp = dp.clone();
    for (int k = 0; k < STEPS; k++) {
      decayed.step(dp, gradient(k), ds, lr);
      double[] g = gradient(k);
      for (int i = 0; i < g.length; i++) {
        g[i] = g[i] + wd * pp[i];
      }
      plain.step(pp, g, ps, lr);
    }
    assertArrayEquals(pp, dp);
    assertEquals(ps, ds);
  }

  /** Runs both specs over the same gradients from the same start; returns the two end points. */
  private static double[][] runBoth(OptimizerSpec a, double lrA, OptimizerSpec b, double lrB) {
    Optimizer oa = Optimizer.create(a);
    Optimizer ob = Optimizer.create(b);
    OptimizerState sa = oa.init(3);
    OptimizerState sb = ob.init(3);
    double[] pa = {1.0, -2.0, 0.5};
    double[] pb = pa.clone();
    for (int k = 0; k < STEPS; k++) {
      oa.step(pa, gradient(k), sa, lrA);
      ob.step(pb, gradient(k), sb, lrB);
    }
    return new double[][] {pa, pb};
  }
}
