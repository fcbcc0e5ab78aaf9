package io.sparkbackprop.model;

/**
 * The model directory, or its {@code model.json}, does not exist: the input is missing rather than
 * malformed. The command-line jobs map it to exit code 66 (a {@link ModelFormatException} is 65).
 * A directory whose model.json names a weights file that is absent is malformed, not missing.
 */
public class ModelNotFoundException extends RuntimeException {

  public ModelNotFoundException(String message) {
    super(message);
  }
}
