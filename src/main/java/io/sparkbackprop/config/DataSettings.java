package io.sparkbackprop.config;

/**
 * The {@code data} section: training source, optional validation (a source or a seeded fraction of
 * the training rows, not both), features, label, whether to standardise the features, and what to
 * do with invalid rows.
 *
 * @param train null when the rows come as a DataFrame (the Spark ML API), not from a path
 */
public record DataSettings(DataSource train, DataSource validation, double validationFraction,
    FeatureColumns features, String label, boolean standardize, InvalidRowPolicy handleInvalid) {

  public boolean hasValidation() {
    return validation != null || validationFraction > 0;
  }
}
