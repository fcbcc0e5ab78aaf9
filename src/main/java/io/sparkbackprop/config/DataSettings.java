package io.sparkbackprop.config;

/**
 * The {@code data} section: training source, optional validation (a source or a seeded fraction of
 * the training rows, not both), features and label.
 */
public record DataSettings(DataSource train, DataSource validation, double validationFraction,
    FeatureColumns features, String label) {

  public boolean hasValidation() {
    return validation != null || validationFraction > 0;
  }
}
