package io.sparkbackprop.optim;

import java.util.Arrays;

/** The optimizers this package implements, by the name used in config files. */
public enum OptimizerType {
  /** Plain gradient descent: PyTorch {@code SGD} with momentum 0. */
  SGD("sgd"),
  /** Heavy-ball momentum: PyTorch {@code SGD(momentum=μ, nesterov=False)}. */
  MOMENTUM("momentum"),
  /** PyTorch {@code SGD(momentum=μ, nesterov=True)}. */
  NESTEROV("nesterov"),
  /** PyTorch {@code Adam}, weight decay added to the gradient (L2 penalty). */
  ADAM("adam"),
  /** PyTorch {@code AdamW}, weight decay applied to the parameters directly (decoupled). */
  ADAMW("adamw"),
  /** PyTorch {@code RMSprop}, not centered, no momentum. */
  RMSPROP("rmsprop"),
  /** PyTorch {@code Adagrad}, no learning-rate decay, accumulator starting at 0. */
  ADAGRAD("adagrad");

  private final String configName;

  OptimizerType(String configName) {
    this.configName = configName;
  }

  /** The name used in config files, e.g. {@code adamw}. */
  public String configName() {
    return configName;
  }

  /** Parses a config name; the error lists the accepted names. */
  public static OptimizerType fromConfigName(String name) {
    for (OptimizerType t : values()) {
      if (t.configName.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown optimizer '" + name + "', expected one of "
        + Arrays.toString(Arrays.stream(values()).map(OptimizerType::configName).toArray()));
  }
}
