package io.sparkbackprop.nn;

import java.util.Arrays;

/**
 * Element-wise (or, for softmax, row-wise) activation functions.
 *
 * <p>{@link #forward} maps pre-activations {@code z} to activations {@code a} in place;
 * {@link #backward} maps {@code dL/da} to {@code dL/dz} in place, using the activations
 * {@code a} already computed by forward (every derivative here is expressible through {@code a},
 * except leakyRelu's, for which {@code a > 0} iff {@code z > 0}).
 * Both work on a row-major {@code (rows, units)} block of a larger array.
 */
public enum Activation {
  SIGMOID("sigmoid"),
  TANH("tanh"),
  RELU("relu"),
  LEAKY_RELU("leakyRelu"),
  SOFTMAX("softmax"),
  LINEAR("linear");

  /** Slope of leakyRelu for negative inputs; PyTorch's default {@code negative_slope}. */
  public static final double LEAKY_SLOPE = 0.01;

  private final String configName;

  Activation(String configName) {
    this.configName = configName;
  }

  /** The name used in config files and model.json, e.g. {@code leakyRelu}. */
  public String configName() {
    return configName;
  }

  /** Parses a config name; the error lists the accepted names. */
  public static Activation fromConfigName(String name) {
    for (Activation a : values()) {
      if (a.configName.equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown activation '" + name + "', expected one of "
        + Arrays.toString(Arrays.stream(values()).map(Activation::configName).toArray()));
  }

  /** In place: {@code z[off + r*units + j]} becomes the activation, for {@code rows} rows. */
  public void forward(double[] z, int off, int rows, int units) {
    final int end = off + rows * units;
    switch (this) {
      case SIGMOID -> {
        for (int i = off; i < end; i++) {
          z[i] = sigmoid(z[i]);
        }
      }
      case TANH -> {
        for (int i = off; i < end; i++) {
          z[i] = Math.tanh(z[i]);
        }
      }
      case RELU -> {
        for (int i = off; i < end; i++) {
          z[i] = z[i] > 0 ? z[i] : 0.0;
        }
      }
      case LEAKY_RELU -> {
        for (int i = off; i < end; i++) {
          z[i] = z[i] > 0 ? z[i] : LEAKY_SLOPE * z[i];
        }
      }
      case SOFTMAX -> {
        for (int r = 0; r < rows; r++) {
          softmaxRow(z, off + r * units, units);
        }
      }
      case LINEAR -> { }
      default -> throw new AssertionError(this);
    }
  }

  /**
   * In place: {@code d} holds {@code dL/da} on entry and {@code dL/dz} on exit; {@code a} holds the
   * activations written by {@link #forward}, at the same offsets.
   */
  public void backward(double[] a, double[] d, int off, int rows, int units) {
    final int end = off + rows * units;
    switch (this) {
      case SIGMOID -> {
        for (int i = off; i < end; i++) {
          d[i] *= a[i] * (1.0 - a[i]);
        }
      }
      case TANH -> {
        for (int i = off; i < end; i++) {
          d[i] *= 1.0 - a[i] * a[i];
        }
      }
      case RELU -> {
        for (int i = off; i < end; i++) {
          if (a[i] <= 0) {
            d[i] = 0.0;
          }
        }
      }
      case LEAKY_RELU -> {
        for (int i = off; i < end; i++) {
          if (a[i] <= 0) {
            d[i] *= LEAKY_SLOPE;
          }
        }
      }
      case SOFTMAX -> {
        // dz_j = a_j * (da_j - sum_k da_k a_k): the softmax Jacobian applied to one row.
        for (int r = 0; r < rows; r++) {
          int base = off + r * units;
          double dot = 0;
          for (int j = 0; j < units; j++) {
            dot += d[base + j] * a[base + j];
          }
          for (int j = 0; j < units; j++) {
            d[base + j] = a[base + j] * (d[base + j] - dot);
          }
        }
      }
      case LINEAR -> { }
      default -> throw new AssertionError(this);
    }
  }

  /** The float32 {@link #forward(double[], int, int, int)}; transcendental functions in float64. */
  public void forward(float[] z, int off, int rows, int units) {
    final int end = off + rows * units;
    switch (this) {
      case SIGMOID -> {
        for (int i = off; i < end; i++) {
          z[i] = (float) sigmoid(z[i]);
        }
      }
      case TANH -> {
        for (int i = off; i < end; i++) {
          z[i] = (float) Math.tanh(z[i]);
        }
      }
      case RELU -> {
        for (int i = off; i < end; i++) {
          z[i] = z[i] > 0 ? z[i] : 0.0f;
        }
      }
      case LEAKY_RELU -> {
        for (int i = off; i < end; i++) {
          z[i] = z[i] > 0 ? z[i] : (float) LEAKY_SLOPE * z[i];
        }
      }
      case SOFTMAX -> {
        for (int r = 0; r < rows; r++) {
          softmaxRow(z, off + r * units, units);
        }
      }
      case LINEAR -> { }
      default -> throw new AssertionError(this);
    }
  }

  /** The float32 {@link #backward(double[], double[], int, int, int)}. */
  public void backward(float[] a, float[] d, int off, int rows, int units) {
    final int end = off + rows * units;
    switch (this) {
      case SIGMOID -> {
        for (int i = off; i < end; i++) {
          d[i] *= a[i] * (1.0f - a[i]);
        }
      }
      case TANH -> {
        for (int i = off; i < end; i++) {
          d[i] *= 1.0f - a[i] * a[i];
        }
      }
      case RELU -> {
        for (int i = off; i < end; i++) {
          if (a[i] <= 0) {
            d[i] = 0.0f;
          }
        }
      }
      case LEAKY_RELU -> {
        for (int i = off; i < end; i++) {
          if (a[i] <= 0) {
            d[i] *= (float) LEAKY_SLOPE;
          }
        }
      }
      case SOFTMAX -> {
        for (int r = 0; r < rows; r++) {
          int base = off + r * units;
          double dot = 0;
          for (int j = 0; j < units; j++) {
            dot += (double) d[base + j] * a[base + j];
          }
          for (int j = 0; j < units; j++) {
            d[base + j] = (float) (a[base + j] * (d[base + j] - dot));
          }
        }
      }
      case LINEAR -> { }
      default -> throw new AssertionError(this);
    }
  }

  /** Logistic function, written so that neither branch overflows for large |x|. */
  public static double sigmoid(double x) {
    if (x >= 0) {
      return 1.0 / (1.0 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1.0 + e);
  }

  /** Softmax of one row in place, shifted by the row maximum so exp never overflows. */
  static void softmaxRow(double[] z, int base, int units) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < units; j++) {
      max = Math.max(max, z[base + j]);
    }
    double sum = 0;
    for (int j = 0; j < units; j++) {
      double e = Math.exp(z[base + j] - max);
      z[base + j] = e;
      sum += e;
    }
    for (int j = 0; j < units; j++) {
      z[base + j] /= sum;
    }
  }

  /** The float32 {@link #softmaxRow(double[], int, int)}, summed in float64. */
  static void softmaxRow(float[] z, int base, int units) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < units; j++) {
      max = Math.max(max, z[base + j]);
    }
    double sum = 0;
    for (int j = 0; j < units; j++) {
      sum += Math.exp(z[base + j] - max);
    }
    for (int j = 0; j < units; j++) {
      z[base + j] = (float) (Math.exp(z[base + j] - max) / sum);
    }
  }

  @Override
  public String toString() {
    return configName;
  }
}
