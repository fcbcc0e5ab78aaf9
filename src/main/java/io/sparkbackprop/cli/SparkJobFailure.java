package io.sparkbackprop.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line for a failed Spark job: which task failed how often and why, from Spark's
 * {@code Job aborted due to stage failure: Task 0 in stage 12.0 failed 4 times, most recent
 * failure: Lost task 0.3 in stage 12.0 (TID 40) (host executor 1): <cause>} and the exception
 * Spark attaches as the cause.
 */
final class SparkJobFailure {
  private static final Pattern TASK_FAILED = Pattern.compile(
      "Task (\\d+) in stage \\S+ failed (\\d+) times?, most recent failure: Lost task \\S+ in stage \\S+ "
          + "\\(TID \\d+\\) \\([^)]*\\): (.*)");

  private SparkJobFailure() {
  }

  /** E.g. {@code task for partition 0 failed 4 times: java.lang.IllegalStateException: boom}. */
  static String describe(Throwable jobFailure) {
    String message = firstLine(jobFailure.getMessage());
    Matcher m = TASK_FAILED.matcher(message);
    if (!m.find()) {
      return rootCause(jobFailure, message);
    }
    String times = "1".equals(m.group(2)) ? "once" : m.group(2) + " times";
    return "task for partition " + m.group(1) + " failed " + times + ": " + rootCause(jobFailure, m.group(3));
  }

  /** The first line of the innermost cause Spark could hand back, else {@code fallback}. */
  private static String rootCause(Throwable t, String fallback) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == t ? fallback : firstLine(root.toString());
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("").trim();
  }
}
