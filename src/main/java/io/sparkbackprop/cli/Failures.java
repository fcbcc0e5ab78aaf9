package io.sparkbackprop.cli;

import io.sparkbackprop.config.InvalidConfigException;
import io.sparkbackprop.data.DataException;
import io.sparkbackprop.data.InputMissingException;
import io.sparkbackprop.model.ModelFormatException;
import io.sparkbackprop.model.ModelNotFoundException;
import io.sparkbackprop.model.OutputExistsException;
import io.sparkbackprop.train.DivergedException;
import io.sparkbackprop.train.StepFailedException;
import java.io.IOException;

/**
 * Maps a failure to the documented exit code and a one-line message. Spark wraps exceptions
 * thrown in tasks, so the cause chain is searched for one of ours; a training step whose Spark job
 * failed (after Spark's task retries) is a one-line error too, naming the step, the partition and
 * the cause.
 */
final class Failures {
  private Failures() {
  }

  record Outcome(int exitCode, String message, boolean userError) {
  }

  static Outcome classify(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      Outcome o = known(c);
      if (o != null) {
        return o;
      }
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StepFailedException s) {
        return new Outcome(ExitCodes.INTERNAL, s.getMessage() + ": " + SparkJobFailure.describe(s.getCause()), true);
      }
    }
    if (t instanceof IOException) {
      return new Outcome(ExitCodes.CANNOT_WRITE, "cannot write output: " + t.getMessage(), true);
    }
    return new Outcome(ExitCodes.INTERNAL, "internal error: " + t, false);
  }

  private static Outcome known(Throwable c) {
    if (c instanceof JobFailure f) {
      return new Outcome(f.exitCode(), f.getMessage(), true);
    }
    if (c instanceof InvalidConfigException) {
      return new Outcome(ExitCodes.BAD_CONFIG, c.getMessage(), true);
    }
    if (c instanceof InputMissingException || c instanceof ModelNotFoundException) {
      return new Outcome(ExitCodes.INPUT_MISSING, c.getMessage(), true);
    }
    if (c instanceof DataException || c instanceof ModelFormatException) {
      return new Outcome(ExitCodes.BAD_DATA, c.getMessage(), true);
    }
    if (c instanceof OutputExistsException) {
      return new Outcome(ExitCodes.CANNOT_WRITE, c.getMessage(), true);
    }
    if (c instanceof DivergedException) {
      return new Outcome(ExitCodes.INTERNAL, c.getMessage(), true);
    }
    return null;
  }
}
