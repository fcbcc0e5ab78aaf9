package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The float32 pass against the float64 pass on the same (float32-representable) weights and
 * inputs: they run the same structure, so they differ only by float32 rounding.
 */
class Float32KernelTest {
  /**
   * float32 has a 6e-8 unit roundoff; products summed over a few dozen terms per layer, through
   * three layers, stay well inside 1e-5 relative (norm-wise).
   */
  private static final double FLOAT32_AGREEMENT = 1e-5;
  private static final int ROWS = 37;
  private static final int INPUTS = 20;

  static Stream<Activation> hidden() {
    return Stream.of(Activation.values());
  }

  @ParameterizedTest(name = "hidden={0}")
  @MethodSource("hidden")
  void float32LossAndGradientAgreeWithFloat64(Activation hidden) {
    for (LossType loss : LossType.values()) {
      int outputs = loss == LossType.BINARY_CROSS_ENTROPY ? 1 : 4;
      Activation out = switch (loss) {
        case CROSS_ENTROPY -> Activation.SOFTMAX;
        case BINARY_CROSS_ENTROPY -> Activation.SIGMOID;
        case MSE -> Activation.TANH;
      };
      NetworkSpec spec = new NetworkSpec(INPUTS, List.of(new LayerSpec(16, hidden, true),
          new LayerSpec(8, hidden, false), new LayerSpec(outputs, out, true)));
      FeedForward net = new FeedForward(spec, loss, Reduction.MEAN);
      double[] params = roundedToFloat(Init.XAVIER.initialize(spec.layout(), 3));
      SplittableRandom rng = new SplittableRandom(9);
      Workspace ws = new Workspace(spec, ROWS);
      FloatWorkspace fws = new FloatWorkspace(spec, ROWS);
      for (int i = 0; i < ROWS * INPUTS; i++) {
        ws.input[i] = (float) (2 * rng.nextDouble() - 1);
        fws.input[i] = (float) ws.input[i];
      }
      for (int r = 0; r < ROWS; r++) {
        ws.labels[r] = loss == LossType.MSE ? rng.nextInt(outputs) : rng.nextInt(Math.max(2, outputs));
        fws.labels[r] = ws.labels[r];
      }
      double[] g64 = new double[params.length];
      float[] g32 = new float[params.length];
      double l64 = net.lossAndGradient(params, ws, ROWS, g64);
      double l32 = net.lossAndGradient(Precision.toFloat(params), fws, ROWS, g32);
      assertEquals(l64, l32, FLOAT32_AGREEMENT * Math.abs(l64), hidden + " " + loss + " loss");
      assertTrue(relativeError(g64, Precision.toDouble(g32)) < FLOAT32_AGREEMENT,
          hidden + " " + loss + ": gradient relative error " + relativeError(g64, Precision.toDouble(g32)));
    }
  }

  private static double[] roundedToFloat(double[] v) {
    return Precision.toDouble(Precision.toFloat(v));
  }

  private static double relativeError(double[] expected, double[] actual) {
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < expected.length; i++) {
      diff += (expected[i] - actual[i]) * (expected[i] - actual[i]);
      norm += expected[i] * expected[i];
    }
    return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-30);
  }

}
