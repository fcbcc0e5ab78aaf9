package io.sparkbackprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GradientClippingTest {
  /** Results of a sqrt and a division or two on values of order 1: ulp-level rounding only. */
  private static final double ROUNDING_TOLERANCE = 1e-15;

  @Test
  void returnsTheNormAndLeavesGradientsBelowMaxNormAlone() {
    double[] g = {3.0, -4.0};
    assertEquals(5.0, GradientClipping.clipByGlobalNorm(g, 10.0));
    assertArrayEquals(new double[] {3.0, -4.0}, g);
  }

  @Test
  void scalesGradientsAboveMaxNormByTorchsCoefficient() {
    double[] g = {3.0, -4.0};
    assertEquals(5.0, GradientClipping.clipByGlobalNorm(g, 1.0));
    // coefficient 1 / (5 + 1e-6): the result's norm is a hair under maxNorm, as in torch.
    double c = 1.0 / (5.0 + 1e-6);
    assertArrayEquals(new double[] {3.0 * c, -4.0 * c}, g, ROUNDING_TOLERANCE);
    double clipped = Math.hypot(g[0], g[1]);
    assertTrue(clipped < 1.0 && clipped > 1.0 - 1e-6, "clipped norm " + clipped);
  }

  @Test
  void zeroGradientIsLeftAlone() {
    double[] g = {0.0, 0.0, 0.0};
    assertEquals(0.0, GradientClipping.clipByGlobalNorm(g, 1.0));
    assertArrayEquals(new double[3], g);
  }

  @Test
  void hugeComponentsDoNotOverflowTheNorm() {
    double[] g = {3e200, 4e200};
    double norm = GradientClipping.clipByGlobalNorm(g, 1.0);
    assertEquals(1.0, norm / 5e200, ROUNDING_TOLERANCE);
    assertArrayEquals(new double[] {0.6, 0.8}, g, ROUNDING_TOLERANCE);
  }

  @Test
  void nanGradientReturnsNanAndIsLeftUntouched() {
    double[] g = {1.0, Double.NaN, 2.0};
    assertTrue(Double.isNaN(GradientClipping.clipByGlobalNorm(g, 1.0)));
    assertArrayEquals(new double[] {1.0, Double.NaN, 2.0}, g);
  }

  @Test
  void infiniteGradientReturnsInfinityAndIsLeftUntouched() {
    double[] g = {1.0, Double.NEGATIVE_INFINITY};
    assertEquals(Double.POSITIVE_INFINITY, GradientClipping.clipByGlobalNorm(g, 1.0));
    assertArrayEquals(new double[] {1.0, Double.NEGATIVE_INFINITY}, g);
  }

  @Test
  void rejectsNonPositiveMaxNorm() {
    for (double bad : new double[] {0.0, -1.0, Double.NaN}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> GradientClipping.clipByGlobalNorm(new double[] {1.0}, bad));
      assertEquals("maxNorm must be > 0, was " + bad, e.getMessage());
    }
  }
}
