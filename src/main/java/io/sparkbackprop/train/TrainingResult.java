package io.sparkbackprop.train;

import io.sparkbackprop.optim.OptimizerState;
import java.util.List;

/** What a training run produced: final weights, optimizer state and the per-epoch history. */
public record TrainingResult(double[] parameters, OptimizerState optimizerState,
    List<EpochStats> history, int stepsPerEpoch) {
}
