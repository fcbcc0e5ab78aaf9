package io.sparkbackprop.train;

/** The loss or gradient became NaN or infinite; names the step. Jobs exit with 70. */
public final class DivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DivergedException(String message) {
    super(message);
  }
}
