package io.sparkbackprop.config;

import java.util.List;

/**
 * Where the features are: either a list of numeric columns (in this order) or one column of Spark
 * ML vectors. Exactly one of the two is set.
 */
public record FeatureColumns(List<String> columns, String vectorColumn) {
  public FeatureColumns {
    if ((columns == null) == (vectorColumn == null)) {
      throw new IllegalArgumentException("give either feature columns or a vector column");
    }
    columns = columns == null ? null : List.copyOf(columns);
  }

  public static FeatureColumns ofColumns(List<String> columns) {
    return new FeatureColumns(columns, null);
  }

  public static FeatureColumns ofVector(String column) {
    return new FeatureColumns(null, column);
  }

  public boolean isVector() {
    return vectorColumn != null;
  }
}
