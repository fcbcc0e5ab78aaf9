package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Central-difference gradient checks in float64 for every hidden activation, every output
 * activation/loss pairing, bias on and off, and both reductions.
 */
class GradientCheckTest {
  /** Central-difference step: truncation error ~h^2 (1e-12) and rounding ~eps/h (1e-10) both small. */
  private static final double STEP = 1e-6;
  /** Required agreement (norm-wise relative error) between backprop and finite differences. */
  private static final double MAX_RELATIVE_ERROR = 1e-6;
  private static final int ROWS = 5;
  private static final int INPUTS = 4;

  record Case(Activation hidden, Activation output, int outputs, LossType loss, boolean bias,
      Reduction reduction) {
    @Override
    public String toString() {
      return "hidden=" + hidden + " output=" + output + "x" + outputs + " loss=" + loss
          + " bias=" + bias + " reduction=" + reduction;
    }
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (Activation hidden : Activation.values()) {
      for (boolean bias : new boolean[] {true, false}) {
        for (Reduction reduction : Reduction.values()) {
          for (Activation out : Activation.values()) {
            cases.add(new Case(hidden, out, 1, LossType.MSE, bias, reduction));
            cases.add(new Case(hidden, out, 3, LossType.MSE, bias, reduction));
          }
          cases.add(new Case(hidden, Activation.SOFTMAX, 3, LossType.CROSS_ENTROPY, bias, reduction));
          cases.add(new Case(hidden, Activation.SIGMOID, 1, LossType.BINARY_CROSS_ENTROPY, bias, reduction));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void backpropMatchesCentralDifferences(Case c) {
    NetworkSpec spec = new NetworkSpec(INPUTS, List.of(
        new LayerSpec(6, c.hidden(), c.bias()),
        new LayerSpec(5, c.hidden(), c.bias()),
        new LayerSpec(c.outputs(), c.output(), c.bias())));
    FeedForward net = new FeedForward(spec, c.loss(), c.reduction());
    SplittableRandom rng = new SplittableRandom(42);
    double[] params = Init.UNIFORM.initialize(spec.layout(), 7);
    // Non-zero biases even for schemes that zero them, so bias gradients matter.
    for (int i = 0; i < params.length; i++) {
      params[i] += 0.1 * (rng.nextDouble() - 0.5);
    }
    Workspace ws = new Workspace(spec, ROWS);
    for (int i = 0; i < ROWS * INPUTS; i++) {
      ws.input[i] = 2 * rng.nextDouble() - 1;
    }
    for (int r = 0; r < ROWS; r++) {
      ws.labels[r] = switch (c.loss()) {
        case CROSS_ENTROPY -> rng.nextInt(c.outputs());
        case BINARY_CROSS_ENTROPY -> rng.nextInt(2);
        case MSE -> c.outputs() == 1 ? rng.nextDouble() : rng.nextInt(c.outputs());
      };
    }
    double[] analytic = new double[params.length];
    net.lossAndGradient(params, ws, ROWS, analytic);

    double[] numeric = new double[params.length];
    for (int i = 0; i < params.length; i++) {
      double saved = params[i];
      params[i] = saved + STEP;
      double plus = net.lossSum(params, ws, ROWS);
      params[i] = saved - STEP;
      double minus = net.lossSum(params, ws, ROWS);
      params[i] = saved;
      numeric[i] = (plus - minus) / (2 * STEP);
    }
    double diff = 0;
    double scale = 0;
    for (int i = 0; i < params.length; i++) {
      diff += (analytic[i] - numeric[i]) * (analytic[i] - numeric[i]);
      scale = Math.max(scale, Math.max(analytic[i] * analytic[i], numeric[i] * numeric[i]));
    }
    double relative = Math.sqrt(diff) / Math.max(Math.sqrt(scale), 1e-12);
    assertTrue(relative < MAX_RELATIVE_ERROR, c + ": relative error " + relative);
  }
}
