package io.sparkbackprop.train;

import org.apache.spark.SparkException;

/**
 * The Spark job of a training step failed: a task failed {@code spark.task.maxFailures} times, or
 * the job was cancelled. The cause is Spark's exception. Jobs exit with 70.
 */
public final class StepFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long step;

  public StepFailedException(long step, SparkException cause) {
    super("training step " + step + " failed", cause);
    this.step = step;
  }

  /** The 1-based global step. */
  public long step() {
    return step;
  }
}
