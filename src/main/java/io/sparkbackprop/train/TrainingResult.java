package io.sparkbackprop.train;

import io.sparkbackprop.optim.OptimizerState;
import java.util.List;

/**
 * What a training run produced: final weights (the best epoch's when early stopping restored
 * them), optimizer state and the per-epoch history.
 *
 * @param stopReason why training ended before its last epoch, or null
 */
public record TrainingResult(double[] parameters, OptimizerState optimizerState,
    List<EpochStats> history, int stepsPerEpoch, String stopReason) {
}
