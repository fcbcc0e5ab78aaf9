package io.sparkbackprop.cli;

import io.sparkbackprop.train.EpochStats;
import io.sparkbackprop.train.Metrics;
import io.sparkbackprop.train.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * One line per epoch: epoch, step, training loss, validation figures, rows per second, elapsed
 * time and an estimate of the time left (mean epoch time so far times the epochs left).
 */
final class ProgressPrinter implements TrainingListener {
  private final PrintStream out;

  ProgressPrinter(PrintStream out) {
    this.out = out;
  }

  @Override
  public void onEpoch(EpochStats s) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "epoch %d/%d  step %d  loss %.6g", s.epoch(), s.epochs(),
        s.step(), s.trainLoss()));
    if (s.validation() != null) {
      b.append("  ").append(describe(s.validation(), "val"));
    }
    double left = s.elapsedSeconds() / s.epoch() * (s.epochs() - s.epoch());
    b.append(String.format(Locale.ROOT, "  rows/s %,.0f  elapsed %.1fs  eta %.1fs",
        s.rowsPerSecond(), s.elapsedSeconds(), left));
    out.println(b);
  }

  @Override
  public void onMessage(String message) {
    out.println(message);
  }

  static String describe(Metrics m, String prefix) {
    if (m.isClassification()) {
      return String.format(Locale.ROOT, "%s_loss %.6g  %s_accuracy %.4f", prefix, m.loss(), prefix, m.accuracy());
    }
    return String.format(Locale.ROOT, "%s_loss %.6g  %s_rmse %.6g", prefix, m.loss(), prefix, m.rmse());
  }
}
