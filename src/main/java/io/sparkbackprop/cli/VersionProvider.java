package io.sparkbackprop.cli;

import io.sparkbackprop.train.TrainRun;
import picocli.CommandLine.IVersionProvider;

/** {@code --version} of every job. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"spark-backprop " + TrainRun.version()};
  }
}
