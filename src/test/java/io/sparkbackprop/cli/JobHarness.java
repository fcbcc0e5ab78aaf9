package io.sparkbackprop.cli;

import io.sparkbackprop.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs a job in-process on the shared test session and captures its output. */
final class JobHarness {
  record Result(int exitCode, String out, String err) {
  }

  interface Job {
    int run(String[] args, PrintStream out, PrintStream err);
  }

  static Result run(Job job, String... args) {
    SparkTestSession.get();   // jobs then reuse this session instead of starting their own
    return runWithoutSpark(job, args);
  }

  /** Runs the job as it is; for jobs that must fail before they need Spark. */
  static Result runWithoutSpark(Job job, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = job.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private JobHarness() {
  }
}
