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

  /** Why {@code label} is not acceptable, or null when it is. */
  public String problem(double label) {
    if (!Double.isFinite(label)) {
      return "is " + label;
    }
    if (classes > 0 && (label != Math.rint(label) || label < 0 || label >= classes)) {
      return "is " + label + ", expected a class index 0.." + (classes - 1);
    }
    return null;
  }
}
