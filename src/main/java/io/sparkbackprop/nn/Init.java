package io.sparkbackprop.nn;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Weight initialisation schemes, always from an explicit seed.
 *
 * <ul>
 *   <li>{@code xavier}: Glorot uniform, {@code U(-sqrt(6/(in+out)), +sqrt(6/(in+out)))}, biases 0.
 *   <li>{@code he}: Kaiming normal for relu-like layers, {@code N(0, 2/in)}, biases 0.
 *   <li>{@code uniform}: PyTorch's {@code nn.Linear} default, weights and biases
 *       {@code U(-1/sqrt(in), +1/sqrt(in))}.
 * </ul>
 */
public enum Init {
  XAVIER("xavier"),
  HE("he"),
  UNIFORM("uniform");

  private final String configName;

  Init(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static Init fromConfigName(String name) {
    for (Init i : values()) {
      if (i.configName.equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("unknown init '" + name + "', expected one of "
        + Arrays.toString(Arrays.stream(values()).map(Init::configName).toArray()));
  }

  /** A fresh parameter array for {@code layout}, filled in layout order from {@code seed}. */
  public double[] initialize(ParameterLayout layout, long seed) {
    double[] p = new double[layout.size()];
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < layout.numLayers(); i++) {
      int in = layout.fanIn(i);
      int out = layout.fanOut(i);
      int w = layout.weightOffset(i);
      for (int k = 0; k < in * out; k++) {
        p[w + k] = switch (this) {
          case XAVIER -> uniform(rng, Math.sqrt(6.0 / (in + out)));
          case HE -> rng.nextGaussian() * Math.sqrt(2.0 / in);
          case UNIFORM -> uniform(rng, 1.0 / Math.sqrt(in));
        };
      }
      int b = layout.biasOffset(i);
      if (b >= 0 && this == UNIFORM) {
        for (int k = 0; k < out; k++) {
          p[b + k] = uniform(rng, 1.0 / Math.sqrt(in));
        }
      }
    }
    return p;
  }

  private static double uniform(SplittableRandom rng, double bound) {
    return (2.0 * rng.nextDouble() - 1.0) * bound;
  }

  @Override
  public String toString() {
    return configName;
  }
}
