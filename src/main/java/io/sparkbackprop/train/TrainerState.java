package io.sparkbackprop.train;

import io.sparkbackprop.optim.OptimizerState;
import java.util.List;

/**
 * Everything the training loop needs to continue exactly where it was after {@code epochsDone}
 * epochs: weights, optimizer state (which holds the step count the schedule reads), history and
 * the early-stopping tracker. The data order needs nothing more: it is a pure function of
 * (seed, epoch, partition).
 *
 * @param early null when early stopping is off
 */
public record TrainerState(int epochsDone, long globalStep, double[] params,
    OptimizerState optimizerState, List<EpochStats> history, EarlyStopping.State early) {

  public TrainerState {
    history = List.copyOf(history);
  }

  public static TrainerState fresh(double[] params, OptimizerState optimizerState, boolean earlyStopping) {
    return new TrainerState(0, 0, params, optimizerState, List.of(),
        earlyStopping ? EarlyStopping.State.initial() : null);
  }

  /** Seconds of training before this state, so a resumed run's elapsed time continues. */
  double elapsedSeconds() {
    return history.isEmpty() ? 0 : history.get(history.size() - 1).elapsedSeconds();
  }
}
