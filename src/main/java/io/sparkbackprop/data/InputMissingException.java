package io.sparkbackprop.data;

/** An input path (data, config, model) that does not exist. Jobs exit with 66. */
public class InputMissingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InputMissingException(String message) {
    super(message);
  }
}
