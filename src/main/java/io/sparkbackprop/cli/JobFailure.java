package io.sparkbackprop.cli;

/** A job's failure with its exit code and one-line message, for problems found by the job itself. */
public final class JobFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public JobFailure(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
