package io.sparkbackprop.data;

/**
 * Input data that cannot be trained on or scored: a missing or non-numeric column, a null or
 * non-finite value, a label out of range. The message is one line naming the column and, where
 * there is one, the row. Jobs exit with 65.
 */
public class DataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DataException(String message) {
    super(message);
  }
}
