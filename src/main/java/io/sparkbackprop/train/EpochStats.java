package io.sparkbackprop.train;

/**
 * Figures of one finished epoch, as written to history.jsonl.
 *
 * @param epoch 1-based
 * @param step optimizer steps taken so far in the run
 * @param trainLoss the epoch's mean per-row loss (reduction mean) or mean per-step summed loss
 *     (reduction sum), measured on each step's batch before its update
 * @param validation null when there is no validation data
 */
public record EpochStats(int epoch, int epochs, long step, double elapsedSeconds, double trainLoss,
    double rowsPerSecond, Metrics validation) implements java.io.Serializable {
}
