package io.sparkbackprop.optim;

/**
 * Argument checks in the Guava Preconditions style, kept here because this package imports
 * nothing outside the JDK. A failed check is the caller's mistake, so every message names the
 * offending value. Written as {@code !(x > 0)} rather than {@code x <= 0} so that NaN fails too.
 */
final class Checks {
  private Checks() { }

  static double positive(String name, double value) {
    if (!(value > 0)) {
      throw new IllegalArgumentException(name + " must be > 0, was " + value);
    }
    return finite(name, value);
  }

  static double nonNegative(String name, double value) {
    if (!(value >= 0)) {
      throw new IllegalArgumentException(name + " must be >= 0, was " + value);
    }
    return finite(name, value);
  }

  /** The range of decay rates such as momentum and Adam's betas: 1 would never forget. */
  static double unitInterval(String name, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1), was " + value);
    }
    return value;
  }

  static long atLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
    }
    return value;
  }

  private static double finite(String name, double value) {
    if (Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be finite, was " + value);
    }
    return value;
  }
}
