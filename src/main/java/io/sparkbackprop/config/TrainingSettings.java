package io.sparkbackprop.config;

/**
 * The {@code training} section and the trainer-level optimizer options.
 *
 * @param batchSize global mini-batch size in rows; {@link #FULL_BATCH} for one step per epoch
 * @param partitions number of partitions to train on; 0 keeps the input's partitioning
 * @param aggregationDepth depth of Spark's treeAggregate for the gradient sum
 * @param clipNorm maximum global gradient norm; 0 disables clipping
 * @param earlyStopping null when off
 */
public record TrainingSettings(int epochs, int batchSize, long seed, int partitions,
    int aggregationDepth, double clipNorm, EarlyStoppingSettings earlyStopping,
    CheckpointSettings checkpoint) {
  public static final int FULL_BATCH = 0;

  /** Without early stopping and checkpoints. */
  public TrainingSettings(int epochs, int batchSize, long seed, int partitions, int aggregationDepth,
      double clipNorm) {
    this(epochs, batchSize, seed, partitions, aggregationDepth, clipNorm, null,
        new CheckpointSettings(null, 0, 1));
  }

  public boolean fullBatch() {
    return batchSize == FULL_BATCH;
  }
}
