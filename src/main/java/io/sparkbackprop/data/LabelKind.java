package io.sparkbackprop.data;

/**
 * What a label must look like for the loss in use: a class index below {@code classes}, or any
 * finite number for regression.
 */
public record LabelKind(int classes) implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  public static LabelKind regression() {
    return new LabelKind(0);
  }

  public static LabelKind classes(int k) {
    return new LabelKind(k);
  }

  public boolean isClassification() {
    return classes > 0;
  }

  /**
   * What is wrong with {@code label}, without its value (so rows with the same problem group
   * together), or null when it is acceptable.
   */
  public String problem(double label) {
    if (!Double.isFinite(label)) {
      return "is " + label;
    }
    if (classes > 0 && label != Math.rint(label)) {
      return "is not a whole number, expected a class index 0.." + (classes - 1);
    }
    if (classes > 0 && (label < 0 || label >= classes)) {
      return "is out of range, expected a class index 0.." + (classes - 1);
    }
    return null;
  }
}
