package io.sparkbackprop.optim;

import java.util.Arrays;

/** Learning-rate schedule shapes, by the name used in config files. See {@link ScheduleSpec}. */
public enum ScheduleType {
  CONSTANT("constant"),
  STEP("step"),
  EXPONENTIAL("exponential"),
  COSINE("cosine");

  private final String configName;

  ScheduleType(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /** Parses a config name; the error lists the accepted names. */
  public static ScheduleType fromConfigName(String name) {
    for (ScheduleType t : values()) {
      if (t.configName.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown schedule '" + name + "', expected one of "
        + Arrays.toString(Arrays.stream(values()).map(ScheduleType::configName).toArray()));
  }
}
