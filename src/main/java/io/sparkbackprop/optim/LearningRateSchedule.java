package io.sparkbackprop.optim;

/**
 * The learning rate as a function of the optimizer step. Schedules work in steps only; the
 * trainer converts epochs to steps. Made by {@link ScheduleSpec#create()}.
 */
@FunctionalInterface
public interface LearningRateSchedule {
  /**
   * The rate for the step about to be taken.
   *
   * @param step 0-based index of that step, i.e. {@link OptimizerState#step()} before it
   */
  double rate(long step);
}
