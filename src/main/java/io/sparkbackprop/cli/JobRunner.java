package io.sparkbackprop.cli;

import io.sparkbackprop.train.Redactor;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * Runs a job command and turns every outcome into an exit code and, on failure, one line on
 * stderr: {@code error: <message>}. Internal errors (bugs) also get their stack trace.
 */
final class JobRunner {
  private JobRunner() {
  }

  static int run(Callable<Integer> command, String[] args, PrintStream err) {
    CommandLine cli = new CommandLine(command);
    cli.setParameterExceptionHandler((ex, a) -> {
      err.println("error: " + ex.getMessage());
      err.println("usage: " + ex.getCommandLine().getHelp().synopsis(0).trim());
      return ExitCodes.USAGE;
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      Failures.Outcome o = Failures.classify(ex);
      err.println("error: " + Redactor.userPasswords(o.message()));
      if (!o.userError()) {
        ex.printStackTrace(err);
      }
      return o.exitCode();
    });
    return cli.execute(args);
  }
}
