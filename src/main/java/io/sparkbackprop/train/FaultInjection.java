package io.sparkbackprop.train;

import io.sparkbackprop.config.InvalidConfigException;
import java.io.Serializable;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;

/**
 * Test-only fault injection: the task of partition 0 throws at one global training step on its
 * first {@code failAttempts} attempts, so tests can watch Spark retry a task (1) or give up on it
 * (more than {@code spark.task.maxFailures}). Set with Spark conf, e.g.
 * {@code --conf spark.sparkbackprop.faultInjection.failStep=31}. Read once on the driver; only
 * the tasks of that one step carry it, so it costs nothing when unset.
 */
public final class FaultInjection implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The 1-based global step at which the task of partition 0 throws. */
  public static final String FAIL_STEP = "spark.sparkbackprop.faultInjection.failStep";
  /** How many attempts of that task throw: 1 = only the first; default 1. */
  public static final String FAIL_ATTEMPTS = "spark.sparkbackprop.faultInjection.failAttempts";

  private final long failStep;
  private final int failAttempts;

  FaultInjection(long failStep, int failAttempts) {
    this.failStep = failStep;
    this.failAttempts = failAttempts;
  }

  /** The injection {@code conf} asks for, or null when {@link #FAIL_STEP} is not set. */
  static FaultInjection fromConf(SparkConf conf) {
    if (!conf.contains(FAIL_STEP)) {
      return null;
    }
    return new FaultInjection(positive(conf, FAIL_STEP, "1"), (int) positive(conf, FAIL_ATTEMPTS, "1"));
  }

  private static long positive(SparkConf conf, String key, String fallback) {
    String value = conf.get(key, fallback).trim();
    try {
      long v = Long.parseLong(value);
      if (v >= 1 && v <= Integer.MAX_VALUE) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidConfigException(key + " must be a whole number >= 1, was '" + value + "'");
  }

  /** This injection if it fires at the 1-based global step {@code step}, else null. */
  FaultInjection at(long step) {
    return step == failStep ? this : null;
  }

  /** In a Spark task of {@code partition}: throws on partition 0's first {@code failAttempts} attempts. */
  void apply(int partition) {
    TaskContext task = TaskContext.get();
    apply(partition, task == null ? 0 : task.attemptNumber());
  }

  /**
   * Throws if {@code partition} is 0 and {@code attempt} (0-based) is among the first
   * {@code failAttempts}; persistent tasks count their attempts themselves, one job per attempt.
   */
  void apply(int partition, int attempt) {
    if (partition == 0 && attempt < failAttempts) {
      throw new InjectedFault("fault injected by " + FAIL_STEP + "=" + failStep + " in partition 0, attempt "
          + (attempt + 1) + " of the " + failAttempts + " that fail");
    }
  }

  /** What {@link #apply} throws. */
  public static final class InjectedFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InjectedFault(String message) {
      super(message);
    }
  }
}
