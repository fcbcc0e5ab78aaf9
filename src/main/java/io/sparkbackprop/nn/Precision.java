package io.sparkbackprop.nn;

import java.util.Arrays;

/**
 * Element type of the forward/backward arithmetic. {@code float64} is exact enough to compare runs
 * to 1e-12 and is what the exactness tests use; {@code float32} halves the bytes broadcast, sent
 * back and multiplied, and native sgemm runs about twice as fast as dgemm. Either way the
 * optimizer keeps float64 master weights and state; only the copy the kernel reads is rounded.
 */
public enum Precision {
  FLOAT64("float64"),
  FLOAT32("float32");

  private final String configName;

  Precision(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static Precision fromConfigName(String name) {
    for (Precision p : values()) {
      if (p.configName.equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown precision '" + name + "', expected one of "
        + Arrays.toString(Arrays.stream(values()).map(Precision::configName).toArray()));
  }

  /** {@code values} rounded to float32, into a new array. */
  public static float[] toFloat(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  /** {@code values} widened to float64, into a new array. */
  public static double[] toDouble(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  @Override
  public String toString() {
    return configName;
  }
}
