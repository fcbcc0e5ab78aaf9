package io.sparkbackprop.nn;

/**
 * Description of one dense layer: {@code units} outputs, an activation, and whether it has a bias.
 * The input size is not part of it; it comes from the previous layer or from the data.
 */
public record LayerSpec(int units, Activation activation, boolean bias) implements java.io.Serializable {
  /** Whether a layer has a bias when its description does not say: the one place this is written. */
  public static final boolean DEFAULT_BIAS = true;

  public LayerSpec {
    if (units < 1) {
      throw new IllegalArgumentException("units must be >= 1, was " + units);
    }
    if (activation == null) {
      throw new IllegalArgumentException("activation must be given");
    }
  }

  /** A layer with the default bias ({@link #DEFAULT_BIAS}). */
  public static LayerSpec dense(int units, Activation activation) {
    return new LayerSpec(units, activation, DEFAULT_BIAS);
  }
}
