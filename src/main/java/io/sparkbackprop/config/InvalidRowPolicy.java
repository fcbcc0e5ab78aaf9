package io.sparkbackprop.config;

import java.util.Arrays;

/**
 * What to do with input rows that cannot be trained on (a null, NaN or infinite feature, a vector
 * of the wrong size, a missing or impossible label): named and valued like Spark ML's
 * {@code handleInvalid}. Either way every row is checked in the one pass that packs the data.
 */
public enum InvalidRowPolicy {
  /** Refuse the data, naming the kind of problem, the column and the first offending rows. */
  ERROR("error"),
  /** Drop the invalid rows, and report how many of each kind were dropped. */
  SKIP("skip");

  private final String configName;

  InvalidRowPolicy(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static InvalidRowPolicy fromConfigName(String name) {
    for (InvalidRowPolicy p : values()) {
      if (p.configName.equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown value '" + name + "', expected one of "
        + Arrays.toString(Arrays.stream(values()).map(InvalidRowPolicy::configName).toArray()));
  }

  @Override
  public String toString() {
    return configName;
  }
}
