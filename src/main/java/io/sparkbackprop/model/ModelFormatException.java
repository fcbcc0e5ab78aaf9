package io.sparkbackprop.model;

/**
 * A model file exists but its content is wrong: invalid JSON, an unknown activation, a tensor of
 * the wrong shape, a checksum mismatch. The message is one line that starts with the file it is
 * about and names the offending field or tensor. The command-line jobs map it to exit code 65.
 *
 * <p>Unchecked so that it can cross interfaces that declare no checked exceptions (Spark ML's
 * {@code MLReader.load}, lambdas); genuine I/O failures stay {@link java.io.IOException}s.
 */
public class ModelFormatException extends RuntimeException {

  public ModelFormatException(String message) {
    super(message);
  }

  public ModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
