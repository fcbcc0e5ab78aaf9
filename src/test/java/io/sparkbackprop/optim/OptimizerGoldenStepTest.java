package io.sparkbackprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Two consecutive steps of every optimizer from θ = (1, -2), checked against numbers worked out
 * by hand. Hyperparameters are chosen to make the arithmetic checkable, not to be realistic:
 * β1 = 0.5 and β2 = 0.75 give bias corrections 0.5, 0.25, 0.75, 0.4375; ε = 1 is large enough
 * that putting it in the wrong place (inside the sqrt, before the bias correction) changes the
 * result; gradients make every square root a whole number.
 */
class OptimizerGoldenStepTest {
  /** The hand arithmetic is exact in decimal; only binary rounding of inputs such as 0.1. */
  private static final double GOLDEN_TOLERANCE = 1e-12;

  private static final double[] THETA0 = {1.0, -2.0};

  /** Steps {@code theta} with g1 (checking it against expected1), then g2; returns the state. */
  private static OptimizerState twoSteps(OptimizerSpec spec, double lr, double[] theta,
      double[] g1, double[] expected1, double[] g2) {
    Optimizer opt = Optimizer.create(spec);
    OptimizerState state = opt.init(2);
    opt.step(theta, g1, state, lr);
    assertArrayEquals(expected1, theta, GOLDEN_TOLERANCE, "after step 1");
    opt.step(theta, g2, state, lr);
    assertEquals(2, state.step());
    return state;
  }

  private static OptimizerSpec spec(OptimizerType type) {
    return OptimizerSpec.defaults(type).withWeightDecay(0);
  }

  @Test
  void sgdAddsWeightDecayToGradient() {
    // lr 0.1, wd 0.5.
    // step 1: g' = (0.5 + 0.5·1, 1 + 0.5·-2) = (1, 0);         θ = (1 - 0.1, -2) = (0.9, -2)
    // step 2: g' = (1 + 0.5·0.9, -1 + 0.5·-2) = (1.45, -2);   θ = (0.9 - 0.145, -2 + 0.2)
    double[] theta = THETA0.clone();
    twoSteps(spec(OptimizerType.SGD).withWeightDecay(0.5), 0.1, theta,
        new double[] {0.5, 1.0}, new double[] {0.9, -2.0}, new double[] {1.0, -1.0});
    assertArrayEquals(new double[] {0.755, -1.8}, theta, GOLDEN_TOLERANCE);
  }

  @Test
  void momentumStartsBufferAtFirstGradient() {
    // lr 0.1, μ 0.9.
    // step 1: b = g = (1, -2);                              θ = (1 - 0.1, -2 + 0.2) = (0.9, -1.8)
    // step 2: b = 0.9·(1, -2) + (0.5, 1) = (1.4, -0.8);     θ = (0.9 - 0.14, -1.8 + 0.08)
    double[] theta = THETA0.clone();
    OptimizerState s = twoSteps(spec(OptimizerType.MOMENTUM), 0.1, theta,
        new double[] {1.0, -2.0}, new double[] {0.9, -1.8}, new double[] {0.5, 1.0});
    assertArrayEquals(new double[] {0.76, -1.72}, theta, GOLDEN_TOLERANCE);
    assertArrayEquals(new double[] {1.4, -0.8}, s.buffer("momentumBuffer"), GOLDEN_TOLERANCE);
  }

  @Test
  void nesterovStepsAlongGradientPlusMuTimesBuffer() {
    // lr 0.1, μ 0.9.
    // step 1: b = (1, -2); g + μb = (1.9, -3.8);         θ = (1 - 0.19, -2 + 0.38) = (0.81, -1.62)
    // step 2: b = (1.4, -0.8); g + μb = (0.5 + 1.26, 1 - 0.72) = (1.76, 0.28)
    //         θ = (0.81 - 0.176, -1.62 - 0.028)
    double[] theta = THETA0.clone();
    OptimizerState s = twoSteps(spec(OptimizerType.NESTEROV), 0.1, theta,
        new double[] {1.0, -2.0}, new double[] {0.81, -1.62}, new double[] {0.5, 1.0});
    assertArrayEquals(new double[] {0.634, -1.648}, theta, GOLDEN_TOLERANCE);
    assertArrayEquals(new double[] {1.4, -0.8}, s.buffer("momentumBuffer"), GOLDEN_TOLERANCE);
  }

  @Test
  void adamCorrectsBiasAndAddsWeightDecayToGradient() {
    // lr 0.3, β1 0.5, β2 0.75, ε 1, wd 0.5.
    // step 1: g' = (0.5 + 0.5, 3 - 1) = (1, 2); m = 0.5 g' = (0.5, 1); v = 0.25 g'² = (0.25, 1)
    //         m̂ = m/0.5 = (1, 2); v̂ = v/0.25 = (1, 4)
    //         update = 0.3·(1/(1+1), 2/(2+1)) = (0.15, 0.2)
    //         θ = (0.85, -2.2)
    // step 2: g' = (0.575 + 0.425, -3.9 - 1.1) = (1, -5)
    //         m = 0.5(0.5, 1) + 0.5(1, -5) = (0.75, -2)
    //         v = 0.75(0.25, 1) + 0.25(1, 25) = (0.4375, 7)
    //         m̂ = m/0.75 = (1, -8/3); v̂ = v/0.4375 = (1, 16)
    //         update = 0.3·(1/(1+1), (-8/3)/(4+1)) = (0.15, -0.16);  θ = (0.7, -2.04)
    double[] theta = THETA0.clone();
    OptimizerState s = twoSteps(
        spec(OptimizerType.ADAM).withBeta1(0.5).withBeta2(0.75).withEpsilon(1).withWeightDecay(0.5),
        0.3, theta,
        new double[] {0.5, 3.0}, new double[] {0.85, -2.2}, new double[] {0.575, -3.9});
    assertArrayEquals(new double[] {0.7, -2.04}, theta, GOLDEN_TOLERANCE);
    assertArrayEquals(new double[] {0.75, -2.0}, s.buffer("expAvg"), GOLDEN_TOLERANCE);
    assertArrayEquals(new double[] {0.4375, 7.0}, s.buffer("expAvgSq"), GOLDEN_TOLERANCE);
  }

  @Test
  void adamwShrinksParametersBeforeTheAdamStep() {
    // lr 0.3, β1 0.5, β2 0.75, ε 1, wd 0.5: every step first multiplies θ by 1 - 0.3·0.5 = 0.85.
    // step 1: θ = 0.85(1, -2) = (0.85, -1.7); g = (1, 2) gives the Adam update (0.15, 0.2)
    //         as in the adam test; θ = (0.7, -1.9)
    // step 2: θ = 0.85(0.7, -1.9) = (0.595, -1.615); g = (1, -5) gives (0.15, -0.16)
    //         θ = (0.445, -1.455)
    double[] theta = THETA0.clone();
    OptimizerState s = twoSteps(
        spec(OptimizerType.ADAMW).withBeta1(0.5).withBeta2(0.75).withEpsilon(1)
            .withWeightDecay(0.5), 0.3, theta,
        new double[] {1.0, 2.0}, new double[] {0.7, -1.9}, new double[] {1.0, -5.0});
    assertArrayEquals(new double[] {0.445, -1.455}, theta, GOLDEN_TOLERANCE);
    // The decay never enters the moment estimates.
    assertArrayEquals(new double[] {0.75, -2.0}, s.buffer("expAvg"), GOLDEN_TOLERANCE);
  }

  @Test
  void rmspropDividesByRootMeanSquareWithoutBiasCorrection() {
    // lr 0.3, α 0.75, ε 1.
    // step 1: v = 0.25(4, 16) = (1, 4); update = 0.3·(2/(1+1), 4/(2+1)) = (0.3, 0.4)
    //         θ = (0.7, -2.4)
    // step 2: v = 0.75(1, 4) + 0.25(1, 4) = (1, 4); update = 0.3·(1/2, -2/3) = (0.15, -0.2)
    //         θ = (0.55, -2.2)
    double[] theta = THETA0.clone();
    OptimizerState s = twoSteps(
        spec(OptimizerType.RMSPROP).withAlpha(0.75).withEpsilon(1), 0.3, theta,
        new double[] {2.0, 4.0}, new double[] {0.7, -2.4}, new double[] {1.0, -2.0});
    assertArrayEquals(new double[] {0.55, -2.2}, theta, GOLDEN_TOLERANCE);
    assertArrayEquals(new double[] {1.0, 4.0}, s.buffer("squareAvg"), GOLDEN_TOLERANCE);
  }

  @Test
  void adagradDividesByRootOfSummedSquares() {
    // lr 0.6, ε 1.
    // step 1: s = (9, 16); update = 0.6·(3/(3+1), 4/(4+1)) = (0.45, 0.48);  θ = (0.55, -2.48)
    // step 2: s = (25, 25); update = 0.6·(4/(5+1), 3/(5+1)) = (0.4, 0.3);   θ = (0.15, -2.78)
    double[] theta = THETA0.clone();
    OptimizerState s = twoSteps(spec(OptimizerType.ADAGRAD).withEpsilon(1), 0.6, theta,
        new double[] {3.0, 4.0}, new double[] {0.55, -2.48}, new double[] {4.0, 3.0});
    assertArrayEquals(new double[] {0.15, -2.78}, theta, GOLDEN_TOLERANCE);
    assertArrayEquals(new double[] {25.0, 25.0}, s.buffer("sum"), GOLDEN_TOLERANCE);
  }
}
