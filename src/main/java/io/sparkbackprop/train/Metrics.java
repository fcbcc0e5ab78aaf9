package io.sparkbackprop.train;

/**
 * Loss and quality of a model on a dataset: {@code accuracy} for classification, {@code rmse} and
 * {@code mae} for regression; the figures that do not apply are NaN.
 */
public record Metrics(double loss, double accuracy, double rmse, double mae, long rows)
    implements java.io.Serializable {
  public boolean isClassification() {
    return !Double.isNaN(accuracy);
  }
}
