package io.sparkbackprop.cli;

import io.sparkbackprop.train.Redactor;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A job's output with secrets redacted ({@link Redactor#text}): every {@code print} and
 * {@code println} of a string or object, which is all the jobs use, passes through it.
 */
final class RedactingPrintStream extends PrintStream {
  private final Redactor redactor;

  RedactingPrintStream(PrintStream out, Redactor redactor) {
    super(out, true, StandardCharsets.UTF_8);
    this.redactor = redactor;
  }

  @Override
  public void print(String s) {
    super.print(redactor.text(s));
  }

  @Override
  public void print(Object o) {
    print(String.valueOf(o));
  }
}
