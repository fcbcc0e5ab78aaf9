package io.sparkbackprop.config;

/**
 * A training config that cannot be used: one line naming the file, line, key and problem, e.g.
 * {@code conf/xor.conf:12: optimizer.learningRate must be > 0, was -0.1}. Jobs exit with 78.
 */
public final class InvalidConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidConfigException(String message) {
    super(message);
  }
}
