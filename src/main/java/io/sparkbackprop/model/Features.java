package io.sparkbackprop.model;

import java.util.HashSet;
import java.util.List;

/**
 * Where a model's inputs come from in a DataFrame: either numeric columns, one per input, in input
 * order, or one vector column of {@code size} elements. Exactly one of {@code columns} and
 * {@code vectorColumn} is non-null.
 *
 * @param size the number of inputs, equal to the network's {@code inputSize}
 */
public record Features(List<String> columns, String vectorColumn, int size) implements java.io.Serializable {

  public Features {
    if ((columns == null) == (vectorColumn == null)) {
      throw new IllegalArgumentException("features needs exactly one of columns and vectorColumn, was "
          + (columns == null ? "neither" : "both"));
    }
    if (columns != null) {
      for (String c : columns) {
        if (c == null || c.isEmpty()) {
          throw new IllegalArgumentException("features.columns must be non-empty names, was " + columns);
        }
      }
      columns = List.copyOf(columns);
      if (columns.isEmpty()) {
        throw new IllegalArgumentException("features.columns must not be empty");
      }
      if (new HashSet<>(columns).size() != columns.size()) {
        throw new IllegalArgumentException("features.columns has a duplicate name: " + columns);
      }
      if (size != columns.size()) {
        throw new IllegalArgumentException("features.size must equal the number of columns, "
            + columns.size() + ", was " + size);
      }
    } else if (vectorColumn.isEmpty()) {
      throw new IllegalArgumentException("features.vectorColumn must not be empty");
    }
    if (size < 1) {
      throw new IllegalArgumentException("features.size must be >= 1, was " + size);
    }
  }

  /** Numeric columns, one per input. */
  public static Features columns(List<String> names) {
    return new Features(names, null, names.size());
  }

  /** One vector column holding all {@code size} inputs. */
  public static Features vector(String column, int size) {
    return new Features(null, column, size);
  }

  public boolean isVector() {
    return vectorColumn != null;
  }
}
