package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InitTest {
  private static final NetworkSpec SPEC = new NetworkSpec(50, List.of(
      new LayerSpec(30, Activation.RELU, true), new LayerSpec(10, Activation.SOFTMAX, true)));

  @ParameterizedTest
  @EnumSource(Init.class)
  void sameSeedGivesSameParametersAndAnotherSeedDoesNot(Init init) {
    double[] a = init.initialize(SPEC.layout(), 11);
    assertArrayEquals(a, init.initialize(SPEC.layout(), 11));
    assertFalse(Arrays.equals(a, init.initialize(SPEC.layout(), 12)));
  }

  @ParameterizedTest
  @EnumSource(Init.class)
  void weightsHaveTheSchemesScale(Init init) {
    ParameterLayout layout = SPEC.layout();
    double[] p = init.initialize(layout, 5);
    int w = layout.weightOffset(0);
    int n = 50 * 30;
    double sumSq = 0;
    double maxAbs = 0;
    for (int k = 0; k < n; k++) {
      sumSq += p[w + k] * p[w + k];
      maxAbs = Math.max(maxAbs, Math.abs(p[w + k]));
    }
    double std = Math.sqrt(sumSq / n);
    // Expected standard deviations: uniform(-a, a) has a / sqrt(3).
    double expected = switch (init) {
      case XAVIER -> Math.sqrt(6.0 / 80) / Math.sqrt(3);
      case HE -> Math.sqrt(2.0 / 50);
      case UNIFORM -> (1 / Math.sqrt(50)) / Math.sqrt(3);
    };
    // 1500 samples: the sample std is within ~5% of the true one with overwhelming probability.
    assertEquals(expected, std, 0.1 * expected, init + " std");
    if (init == Init.XAVIER) {
      assertTrue(maxAbs <= Math.sqrt(6.0 / 80));
    }
    int b = layout.biasOffset(0);
    boolean biasZero = Arrays.stream(Arrays.copyOfRange(p, b, b + 30)).allMatch(v -> v == 0.0);
    assertEquals(init != Init.UNIFORM, biasZero, init + " biases zero");
  }
}
