package io.sparkbackprop.train;

import io.sparkbackprop.config.EarlyStoppingSettings;
import java.util.Locale;

/**
 * Tracks the best validation figure and decides when to stop. Its state is part of a checkpoint,
 * so a resumed run stops where an uninterrupted one would.
 */
public final class EarlyStopping {
  /** The tracker's state; {@code bestParams} is null until an epoch has been measured. */
  public record State(double bestValue, int bestEpoch, double[] bestParams, int epochsWithoutImprovement) {
    public static State initial() {
      return new State(Double.NaN, 0, null, 0);
    }
  }

  private final EarlyStoppingSettings settings;
  private State state;

  public EarlyStopping(EarlyStoppingSettings settings, State state) {
    this.settings = settings;
    this.state = state;
  }

  public State state() {
    return state;
  }

  static double value(String metric, Metrics m) {
    return switch (metric) {
      case "validationLoss" -> m.loss();
      case "validationAccuracy" -> m.accuracy();
      case "validationRmse" -> m.rmse();
      default -> throw new IllegalArgumentException("unknown metric " + metric);
    };
  }

  /** Records an epoch's validation; returns true when training should stop now. */
  public boolean update(int epoch, Metrics validation, double[] params) {
    double v = value(settings.metric(), validation);
    boolean improved = state.bestParams() == null
        || (settings.higherIsBetter() ? v > state.bestValue() + settings.minDelta()
            : v < state.bestValue() - settings.minDelta());
    if (improved) {
      state = new State(v, epoch, params.clone(), 0);
    } else {
      state = new State(state.bestValue(), state.bestEpoch(), state.bestParams(),
          state.epochsWithoutImprovement() + 1);
    }
    return state.epochsWithoutImprovement() >= settings.patience();
  }

  /** The line printed when training stops early. */
  public String reason(int epoch) {
    return String.format(Locale.ROOT, "early stopping after epoch %d: %s did not improve by more "
        + "than %s for %d epochs; restored the weights of epoch %d (%s %.6g)", epoch,
        settings.metric(), settings.minDelta(), settings.patience(), state.bestEpoch(),
        settings.metric(), state.bestValue());
  }
}
