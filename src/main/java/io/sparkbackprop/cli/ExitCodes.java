package io.sparkbackprop.cli;

/** The jobs' exit codes (DESIGN.md, contract), after BSD sysexits. */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int USAGE = 64;
  public static final int BAD_DATA = 65;
  public static final int INPUT_MISSING = 66;
  public static final int INTERNAL = 70;
  public static final int CANNOT_WRITE = 73;
  public static final int BAD_CONFIG = 78;
  /** The new model failed {@code output.gate}; LATEST was left unchanged. Not a sysexits code. */
  public static final int QUALITY_GATE = 79;

  private ExitCodes() {
  }
}
